/**
 * Builds the browser SDK with vite (library mode) into sdk/dist-browser/:
 * - uspa.js           the tracker as one classic script (IIFE) that defines `window.uspa`;
 * - uspa.esm.js       the tracker as an ES module exporting `uspa`;
 * - uspa-realtime.js  the realtime client (socket.io, DOMPurify, slots), imported on demand.
 *
 * Usage: `node sdk/scripts/build-browser.mjs`, or `buildBrowserBundle()` from code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));

/** Where the bundles go; the server serves this folder at `/sdk/`. */
export const browserBundleDir = join(sdkDir, 'dist-browser');

const BUNDLES = [
  { entry: 'src/browser/iife.ts', format: 'iife', fileName: 'uspa.js' },
  { entry: 'src/browser/index.ts', format: 'es', fileName: 'uspa.esm.js' },
  { entry: 'src/browser/realtime/start-realtime.ts', format: 'es', fileName: 'uspa-realtime.js' },
];

/**
 * Builds the three bundles into `outDir` (emptied first).
 *
 * @example
 * await buildBrowserBundle(); // sdk/dist-browser/uspa.js, uspa.esm.js, uspa-realtime.js
 */
export async function buildBrowserBundle({ outDir = browserBundleDir, logLevel = 'warn' } = {}) {
  const { version } = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8'));
  for (const [index, bundle] of BUNDLES.entries()) {
    await build({
      configFile: false,
      root: sdkDir,
      mode: 'production',
      logLevel,
      define: {
        __USPA_VERSION__: JSON.stringify(version),
        // Library mode leaves process.env alone; dependencies read NODE_ENV and browsers have none.
        'process.env.NODE_ENV': JSON.stringify('production'),
      },
      build: {
        outDir,
        emptyOutDir: index === 0,
        copyPublicDir: false,
        target: 'es2022',
        minify: 'esbuild',
        sourcemap: true,
        reportCompressedSize: false,
        lib: {
          entry: join(sdkDir, bundle.entry),
          formats: [bundle.format],
          fileName: () => bundle.fileName,
          // Required by vite for IIFE; the entry exports nothing, the tracker sets window.uspa.
          name: 'uspaBundle',
        },
      },
    });
  }
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = await buildBrowserBundle({ logLevel: 'info' });
  console.log(`browser SDK built in ${outDir}`);
}
