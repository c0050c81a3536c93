import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StaleBuild {
  /** Files the build writes; missing or older than an input means stale. */
  outputs: readonly string[];
  /** Files and folders it reads (folders are walked; `*.test.ts` files do not count). */
  inputs: readonly string[];
  /** Names the lock in the temporary folder that makes concurrent callers wait for one build. */
  lockName: string;
  /** A lock older than this was left by a dead run and is taken over. */
  lockStaleMs: number;
  build: () => Promise<void>;
}

/**
 * Runs `build` when an output is missing or older than an input, once across concurrent callers
 * (parallel test files), which wait for it. Browser tests use it: CI runs them before the build.
 *
 * @example
 * await buildWhenStale({
 *   outputs: [join(dist, 'index.html')],
 *   inputs: [join(app, 'src')],
 *   lockName: 'uspa-console-build',
 *   lockStaleMs: 180_000,
 *   build: () => run('npm', ['run', 'build', '-w', 'console']),
 * });
 */
export async function buildWhenStale(options: StaleBuild): Promise<void> {
  if (isFresh(options)) return;
  await withLock(join(tmpdir(), `${options.lockName}.lock`), options.lockStaleMs, async () => {
    if (!isFresh(options)) await options.build();
  });
}

function isFresh({ outputs, inputs }: StaleBuild): boolean {
  let oldestOutput = Infinity;
  for (const file of outputs) {
    const modified = modifiedAt(file);
    if (modified === undefined) return false;
    oldestOutput = Math.min(oldestOutput, modified);
  }
  return inputs.every((input) => newestIn(input) <= oldestOutput);
}

function newestIn(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function modifiedAt(path: string): number | undefined {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
}

async function withLock(lock: string, staleMs: number, work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = modifiedAt(lock);
      if (since !== undefined && Date.now() - since > staleMs) {
        rmSync(lock, { force: true, recursive: true });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await work();
  } finally {
    rmSync(lock, { force: true, recursive: true });
  }
}
