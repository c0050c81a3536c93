import { Worker } from 'node:worker_threads';

/**
 * Starts one of the embedded store's threads: the compiled `.js` worker in a built package, the
 * `.ts` one through tsx when running from sources.
 */
export function startStoreThread(
  name: 'sqlite-writer',
  workerData: Record<string, unknown>,
): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${name}.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  return fromSources
    ? new Worker(new URL('./typescript-worker-loader.mjs', import.meta.url), {
        workerData: { ...workerData, entry: entry.href },
      })
    : new Worker(entry, { workerData });
}
