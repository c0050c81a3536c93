import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repositoryDir = fileURLToPath(new URL('../../../', import.meta.url));
const consoleDir = join(repositoryDir, 'console');

/** Where `npm run build -w console` puts the console; the server serves it at `/`. */
export const CONSOLE_DIST_DIR = join(consoleDir, 'dist');

const INPUTS = ['src', 'index.html', 'vite.config.ts'];
const LOCK_DIR = join(tmpdir(), 'uspa-console-build.lock');
// A build takes about ten seconds on two cores; a lock older than this was left by a dead run.
const LOCK_STALE_MS = 180_000;

/**
 * Makes sure `console/dist` holds the console built from the current sources, building it
 * (`npm run build -w console`, in a child process) when `index.html` is missing or older than a
 * source. CI runs the tests before `npm run build`, so a browser test cannot count on a build.
 * Concurrent callers (parallel test files) wait for one build.
 *
 * @example
 * beforeAll(async () => {
 *   uspa = await startTestServer({ USPA_CONSOLE_DIST_DIR: await ensureConsoleBuild() });
 * }, 120_000);
 */
export async function ensureConsoleBuild(): Promise<string> {
  if (isFresh()) return CONSOLE_DIST_DIR;
  await withLock(async () => {
    if (isFresh()) return;
    const env = { ...process.env };
    // The test runner's NODE_ENV=test must not turn the build into a development one.
    delete env.NODE_ENV;
    await promisify(execFile)('npm', ['run', 'build', '-w', 'console'], {
      cwd: repositoryDir,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  });
  return CONSOLE_DIST_DIR;
}

function isFresh(): boolean {
  const built = modifiedAt(join(CONSOLE_DIST_DIR, 'index.html'));
  if (built === undefined) return false;
  return INPUTS.every((input) => newestIn(join(consoleDir, input)) <= built);
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

async function withLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = modifiedAt(LOCK_DIR);
      if (since !== undefined && Date.now() - since > LOCK_STALE_MS)
        rmSync(LOCK_DIR, { force: true, recursive: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK_DIR, { force: true, recursive: true });
  }
}
