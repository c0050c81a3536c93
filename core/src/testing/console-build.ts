import { execFile } from 'node:child_process';
import { buildWhenStale } from '@uspa/sdk/testing';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repositoryDir = fileURLToPath(new URL('../../../', import.meta.url));
const consoleDir = join(repositoryDir, 'console');

/** Where `npm run build -w console` puts the console; the server serves it at `/`. */
export const CONSOLE_DIST_DIR = join(consoleDir, 'dist');

const INPUTS = [
  ...['src', 'index.html', 'vite.config.ts'].map((input) => join(consoleDir, input)),
  // The condition language is bundled from its sources in the read-side package.
  join(repositoryDir, 'projections', 'src', 'conditions.ts'),
  join(repositoryDir, 'projections', 'src', 'segments', 'condition'),
];

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
  await buildWhenStale({
    outputs: [join(CONSOLE_DIST_DIR, 'index.html')],
    inputs: INPUTS,
    lockName: 'uspa-console-build',
    // A build takes about ten seconds on two cores; a lock older than this was left by a dead run.
    lockStaleMs: 180_000,
    build: async () => {
      const env = { ...process.env };
      // The test runner's NODE_ENV=test must not turn the build into a development one.
      delete env.NODE_ENV;
      await promisify(execFile)('npm', ['run', 'build', '-w', 'console'], {
        cwd: repositoryDir,
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
    },
  });
  return CONSOLE_DIST_DIR;
}
