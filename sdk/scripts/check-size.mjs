/**
 * Fails when the tracker (`uspa.js`, without the lazily loaded realtime client) grows over its
 * budget of 8 KB gzipped: it is on every page of every site, in the critical path.
 *
 * Usage: `node sdk/scripts/check-size.mjs` after `node sdk/scripts/build-browser.mjs`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const distDir = fileURLToPath(new URL('../dist-browser/', import.meta.url));
const TRACKER_BUDGET = 8 * 1024;

/**
 * Raw and gzipped sizes (bytes) of a built bundle.
 *
 * @example
 * bundleSize('uspa.js'); // { raw: 9123, gzip: 3605 }
 */
export function bundleSize(fileName) {
  const bytes = readFileSync(join(distDir, fileName));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of ['uspa.js', 'uspa.esm.js', 'uspa-realtime.js']) {
    const { raw, gzip } = bundleSize(file);
    console.log(`${file.padEnd(18)} ${kb(raw).padStart(10)} raw ${kb(gzip).padStart(10)} gzipped`);
  }
  const tracker = bundleSize('uspa.js').gzip;
  if (tracker > TRACKER_BUDGET) {
    console.error(`uspa.js is ${kb(tracker)} gzipped, over its ${kb(TRACKER_BUDGET)} budget`);
    process.exit(1);
  }
  console.log(`uspa.js is within its ${kb(TRACKER_BUDGET)} gzipped budget`);
}
