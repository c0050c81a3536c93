import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const sdkDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the browser bundles are built; the server serves this folder at `/sdk/`.
 *
 * @example
 * app.use('/sdk', express.static(BROWSER_BUNDLE_DIR));
 */
export const BROWSER_BUNDLE_DIR = join(sdkDir, 'dist-browser');

const OUTPUTS = ['uspa.js', 'uspa.esm.js', 'uspa-realtime.js'];
const INPUTS = [
  'src/browser',
  'src/collect',
  'src/realtime',
  'scripts/build-browser.mjs',
  'package.json',
];
const LOCK_DIR = join(tmpdir(), 'uspa-browser-bundle.lock');
const LOCK_STALE_MS = 120_000;

/**
 * Makes sure `sdk/dist-browser` holds bundles built from the current sources, building them
 * (`sdk/scripts/build-browser.mjs`, in a child process) when one is missing or older than a
 * source. Concurrent callers (parallel test files) wait for one build.
 *
 * @example
 * beforeAll(async () => {
 *   const dir = await ensureBrowserBundle(); // then serve `${dir}/uspa.js` at /sdk/uspa.js
 * }, 120_000);
 */
export async function ensureBrowserBundle(): Promise<string> {
  if (isFresh()) return BROWSER_BUNDLE_DIR;
  await withLock(async () => {
    if (isFresh()) return;
    const env = { ...process.env };
    // The test runner's NODE_ENV=test must not leak into a production build.
    delete env.NODE_ENV;
    await promisify(execFile)(process.execPath, [join(sdkDir, 'scripts/build-browser.mjs')], {
      cwd: sdkDir,
      env,
    });
  });
  return BROWSER_BUNDLE_DIR;
}

function isFresh(): boolean {
  let oldestOutput = Infinity;
  for (const file of OUTPUTS) {
    const modified = modifiedAt(join(BROWSER_BUNDLE_DIR, file));
    if (modified === undefined) return false;
    oldestOutput = Math.min(oldestOutput, modified);
  }
  return INPUTS.every((input) => newestIn(join(sdkDir, input)) <= oldestOutput);
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
