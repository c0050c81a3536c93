import { Worker } from 'node:worker_threads';

/**
 * Starts one of this folder's worker threads (`<name>.worker.ts`, compiled to `.js`). Run from
 * the sources (tests, benchmarks, tsx), the thread first registers the TypeScript loader.
 *
 * @example
 * const worker = startSqliteWorker('sqlite-writer', { file, synchronous });
 */
export function startSqliteWorker(name: string, workerData: Record<string, unknown>): Worker {
  return startWorkerBeside(import.meta.url, name, workerData);
}

/**
 * Starts the worker `<name>.worker.ts` (`.js` once compiled) of the folder of `moduleUrl`.
 * `workspaces` lets a thread run from the sources import the other workspaces (`@uspa/…`) from
 * their sources too, as the tests and benchmarks that start it do.
 *
 * @example
 * const worker = startWorkerBeside(import.meta.url, 'projection-thread', { config }, { workspaces: true });
 */
export function startWorkerBeside(
  moduleUrl: string,
  name: string,
  workerData: Record<string, unknown>,
  { workspaces = false }: { workspaces?: boolean } = {},
): Worker {
  const fromSources = moduleUrl.endsWith('.ts');
  const entry = new URL(`./${name}.worker.${fromSources ? 'ts' : 'js'}`, moduleUrl);
  return fromSources
    ? new Worker(new URL('./typescript-worker-loader.mjs', import.meta.url), {
        workerData: { ...workerData, entry: entry.href },
        ...(workspaces && { execArgv: ['--conditions=@uspa/source'] }),
      })
    : new Worker(entry, { workerData });
}
