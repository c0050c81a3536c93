import { Worker } from 'node:worker_threads';

/**
 * Starts one of this folder's worker threads (`<name>.worker.ts`, compiled to `.js`). Run from
 * the sources (tests, benchmarks, tsx), the thread first registers the TypeScript loader.
 *
 * @example
 * const worker = startSqliteWorker('sqlite-writer', { file, synchronous });
 */
export function startSqliteWorker(name: string, workerData: Record<string, unknown>): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${name}.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  return fromSources
    ? new Worker(new URL('./typescript-worker-loader.mjs', import.meta.url), {
        workerData: { ...workerData, entry: entry.href },
      })
    : new Worker(entry, { workerData });
}
