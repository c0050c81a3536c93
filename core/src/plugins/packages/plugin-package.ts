import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValidationError } from '../../errors/index.js';
import { bundlePlugin } from './bundle-plugin.js';
import { extractPackageTarball } from './extract-tarball.js';
import { sri } from './integrity.js';
import { fetchRelease } from './npm-registry.js';
import { parseNpmSpec } from './npm-spec.js';
import { invalidPackage } from './package-errors.js';
import { readPackageManifest } from './package-manifest.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PACKED_BYTES,
  type LoadPluginPackageOptions,
  type PackageLimits,
  type PluginPackage,
  type PluginSource,
} from './plugin-source.js';

export type { LoadPluginPackageOptions, PluginPackage, PluginSource } from './plugin-source.js';

/**
 * Turns an install source into one self-contained script the sandbox can run, with the name,
 * version and integrity the operator approves. Refusals are `UspaError`s (`plugin_package_invalid`,
 * `plugin_uses_node_builtin`, `plugin_integrity_mismatch`, `plugin_package_not_found`,
 * `plugin_registry_unreachable`, …); nothing is left on disk either way.
 *
 * @example
 * const plugin = await loadPluginPackage(
 *   { kind: 'npm', spec: '@acme/uspa-crm@1.2.0' },
 *   { registry: 'https://registry.npmjs.org' },
 * );
 * // plugin.code, run in an isolate, sets globalThis.__uspaPlugin
 */
export async function loadPluginPackage(
  source: PluginSource,
  options: LoadPluginPackageOptions,
): Promise<PluginPackage> {
  const limits: PackageLimits = {
    maxBytes: positive(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes'),
    maxPackedBytes: positive(options.maxPackedBytes, DEFAULT_MAX_PACKED_BYTES, 'maxPackedBytes'),
  };
  switch (source.kind) {
    case 'folder':
      return loadFolder(resolve(source.path), limits);
    case 'tarball':
      return loadTarball(source.bytes, limits, { kind: 'tarball' }, options.signal);
    case 'npm': {
      const spec = parseNpmSpec(source.spec);
      const release = await fetchRelease(spec, { ...options, ...limits });
      const loaded = await loadTarball(
        release.bytes,
        limits,
        { kind: 'npm', spec: source.spec, tarball: release.tarball },
        options.signal,
      );
      if (loaded.name !== spec.name || loaded.version !== release.version) {
        throw invalidPackage(
          `The tarball of ${spec.name}@${release.version} holds ${loaded.name}@${loaded.version}`,
        );
      }
      return loaded;
    }
    default:
      throw new ValidationError(`Unknown plugin source: ${JSON.stringify(source)}`);
  }
}

async function loadFolder(path: string, limits: PackageLimits): Promise<PluginPackage> {
  const isDirectory = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw invalidPackage(`No plugin folder at ${path}`);
  const manifest = await readPackageManifest(path);
  const code = await bundlePlugin({
    root: path,
    entry: manifest.entry,
    confined: false,
    maxBytes: limits.maxBytes,
  });
  // No tarball to hash: the integrity pins the code that was approved.
  const integrity = sri(code);
  return {
    name: manifest.name,
    version: manifest.version,
    code,
    integrity,
    origin: { kind: 'folder', path },
  };
}

async function loadTarball(
  bytes: Buffer,
  limits: PackageLimits,
  origin: PluginPackage['origin'],
  signal: AbortSignal | undefined,
): Promise<PluginPackage> {
  if (!Buffer.isBuffer(bytes)) throw new ValidationError('A tarball upload must be bytes');
  const directory = await mkdtemp(join(tmpdir(), 'uspa-plugin-'));
  try {
    const root = await extractPackageTarball(bytes, directory, limits);
    signal?.throwIfAborted();
    const manifest = await readPackageManifest(root);
    const code = await bundlePlugin({
      root,
      entry: manifest.entry,
      confined: true,
      maxBytes: limits.maxBytes,
    });
    const { name, version } = manifest;
    return { name, version, code, integrity: sri(bytes), origin };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError(`${what} must be a positive whole number of bytes: ${value}`);
  }
  return value;
}
