/**
 * Where a plugin comes from when an operator installs it.
 *
 * @example
 * const source: PluginSource = { kind: 'npm', spec: '@acme/uspa-crm@1.2.0' };
 */
export type PluginSource =
  /** A plugin project on the server's disk, with its `node_modules`. */
  | { kind: 'folder'; path: string }
  /** An uploaded `.tgz` in `npm pack` format (files under `package/`). */
  | { kind: 'tarball'; bytes: Buffer }
  /** `name@version`, an exact version or a dist-tag, from the npm registry. */
  | { kind: 'npm'; spec: string };

/** A plugin turned into one self-contained script the sandbox can run. */
export interface PluginPackage {
  /** From the package's `package.json`. */
  name: string;
  version: string;
  /** A classic script; running it sets `globalThis.__uspaPlugin` to the plugin's default export. */
  code: string;
  /** SRI `sha512-…` of the tarball (tarball, npm), or of `code` (folder). */
  integrity: string;
  origin:
    | { kind: 'folder'; path: string }
    | { kind: 'tarball' }
    | { kind: 'npm'; spec: string; tarball: string };
}

export interface LoadPluginPackageOptions {
  /** The npm registry, e.g. `https://registry.npmjs.org`. */
  registry: string;
  /** Largest unpacked package, and largest bundle, in bytes (default 20 MB). */
  maxBytes?: number;
  /** Largest tarball, uploaded or downloaded, in bytes (default 5 MB). */
  maxPackedBytes?: number;
  signal?: AbortSignal;
}

/** The size limits of one load, defaults applied. */
export interface PackageLimits {
  maxBytes: number;
  maxPackedBytes: number;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PACKED_BYTES = 5 * 1024 * 1024;

/** What running a plugin's `code` sets on the global object. */
export const PLUGIN_GLOBAL = '__uspaPlugin';
