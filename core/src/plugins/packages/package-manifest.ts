import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { invalidPackage } from './package-errors.js';

/** What the host reads from a plugin's `package.json`. */
export interface PackageManifest {
  name: string;
  version: string;
  /** Absolute path of the module the bundle starts from. */
  entry: string;
}

/** npm's rules for new package names: lower case, URL-safe, optionally scoped, ≤ 214 chars. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export function isPackageName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 214 && PACKAGE_NAME.test(name);
}

/**
 * Reads and checks `package.json` in `root`, and finds the plugin's entry module.
 *
 * @example
 * const { name, version, entry } = await readPackageManifest('/srv/plugins/geo');
 */
export async function readPackageManifest(root: string): Promise<PackageManifest> {
  const json = await readManifestJson(root);
  const { name, version } = json;
  if (!isPackageName(name)) {
    throw invalidPackage(`package.json has no valid npm package name: ${JSON.stringify(name)}`);
  }
  // Canonical semver only (`1.2.0`, not `v1.2.0` or `1.2`): it is shown and compared as is.
  if (typeof version !== 'string' || semver.valid(version) !== version) {
    throw invalidPackage(
      `package.json of ${name} has no valid semver version: ${JSON.stringify(version)}`,
    );
  }
  const target = entryOf(json);
  const entry = resolve(root, target);
  const fromRoot = relative(root, entry);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw invalidPackage(`The entry of ${name} (${target}) lies outside the package`);
  }
  return { name, version, entry };
}

async function readManifestJson(root: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(join(root, 'package.json'), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw invalidPackage(
      missing ? 'The plugin has no package.json' : `Cannot read the plugin's package.json`,
      { cause: String(error) },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidPackage(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(json)) throw invalidPackage('package.json is not a JSON object');
  return json;
}

/**
 * The entry as the bundler sees it with the conditions `import` and `default`: `exports['.']`,
 * then `module`, then `main`, then `index.js`.
 */
export function entryOf(json: Record<string, unknown>): string {
  const fromExports = json.exports === undefined ? undefined : rootExport(json.exports);
  for (const candidate of [fromExports, json.module, json.main]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
  }
  return 'index.js';
}

function rootExport(exports: unknown): string | undefined {
  if (isRecord(exports) && Object.keys(exports).some((key) => key.startsWith('.'))) {
    return conditionalTarget(exports['.']);
  }
  return conditionalTarget(exports);
}

/** Node's algorithm: the first key in object order that is a condition we set wins. */
function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionalTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const [condition, target] of Object.entries(value)) {
    if (condition !== 'import' && condition !== 'default') continue;
    const found = conditionalTarget(target);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
