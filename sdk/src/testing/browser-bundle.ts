import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildWhenStale } from './build-when-stale.js';

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
  await buildWhenStale({
    outputs: OUTPUTS.map((file) => join(BROWSER_BUNDLE_DIR, file)),
    inputs: INPUTS.map((input) => join(sdkDir, input)),
    lockName: 'uspa-browser-bundle',
    lockStaleMs: 120_000,
    build: async () => {
      const env = { ...process.env };
      // The test runner's NODE_ENV=test must not leak into a production build.
      delete env.NODE_ENV;
      await promisify(execFile)(process.execPath, [join(sdkDir, 'scripts/build-browser.mjs')], {
        cwd: sdkDir,
        env,
      });
    },
  });
  return BROWSER_BUNDLE_DIR;
}
