import { verifyIntegrity } from './integrity.js';
import { packageNotFound, packageTooLarge, registryUnreachable } from './package-errors.js';
import { escapedName, type NpmSpec } from './npm-spec.js';
import { registryGet } from './registry-request.js';

/** Abbreviated packuments of plugins are small; this only stops a registry flooding memory. */
const MAX_PACKUMENT_BYTES = 16 * 1024 * 1024;
/** npm's own header: the abbreviated packument, or the full one from registries without it. */
const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/** A release fetched from the registry, its tarball already checked against the packument. */
export interface RegistryRelease {
  version: string;
  tarball: string;
  bytes: Buffer;
}

/**
 * Resolves `spec` in the registry and downloads its tarball, verified against `dist.integrity`
 * (or `dist.shasum`). The tarball is only held in memory: nothing of a refused release is kept.
 *
 * @example
 * const release = await fetchRelease(parseNpmSpec('geo@1.0.0'), { registry, maxPackedBytes });
 */
export async function fetchRelease(
  spec: NpmSpec,
  options: { registry: string; maxPackedBytes: number; signal?: AbortSignal },
): Promise<RegistryRelease> {
  const registry = options.registry.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(registry)) {
    throw registryUnreachable(`The configured npm registry is not an http(s) URL: ${registry}`);
  }
  const url = `${registry}/${escapedName(spec.name)}`;
  const packument = await registryGet(url, {
    accept: PACKUMENT_ACCEPT,
    maxBytes: MAX_PACKUMENT_BYTES,
    tooLarge: () => registryUnreachable(`The registry's packument of ${spec.name} is too large`),
    signal: options.signal,
  });
  if (packument.status === 404) {
    throw packageNotFound(`Package ${spec.name} is not in the npm registry at ${registry}`);
  }
  if (packument.status !== 200) {
    throw registryUnreachable(
      `The npm registry answered ${packument.status} for package ${spec.name}`,
    );
  }
  const { version, dist } = pickVersion(parsePackument(packument.body, spec.name), spec);
  const tarball = tarballUrl(dist.tarball, `${spec.name}@${version}`);
  const download = await registryGet(tarball, {
    accept: 'application/octet-stream',
    maxBytes: options.maxPackedBytes,
    tooLarge: () =>
      packageTooLarge(
        `The tarball of ${spec.name}@${version} is larger than ${options.maxPackedBytes} bytes`,
        options.maxPackedBytes,
      ),
    signal: options.signal,
  });
  if (download.status !== 200) {
    throw registryUnreachable(
      `The npm registry answered ${download.status} for the tarball of ${spec.name}@${version}`,
    );
  }
  verifyIntegrity(download.body, dist, `${spec.name}@${version}`);
  return { version, tarball, bytes: download.body };
}

interface Packument {
  'dist-tags'?: Record<string, unknown>;
  versions?: Record<string, { dist?: Record<string, unknown> } | undefined>;
}

function parsePackument(body: Buffer, name: string): Packument {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json === 'object' && json !== null) return json;
  } catch {
    // Reported below, in the registry's words rather than JSON.parse's.
  }
  throw registryUnreachable(`The npm registry sent an invalid packument for ${name}`);
}

function pickVersion(
  packument: Packument,
  spec: NpmSpec,
): { version: string; dist: Record<string, unknown> } {
  const tags = packument['dist-tags'] ?? {};
  const tagged = Object.hasOwn(tags, spec.selector) ? tags[spec.selector] : undefined;
  const version = spec.kind === 'version' ? spec.selector : tagged;
  if (typeof version !== 'string') {
    throw packageNotFound(`Package ${spec.name} has no dist-tag "${spec.selector}"`);
  }
  const versions = packument.versions ?? {};
  const dist = Object.hasOwn(versions, version) ? versions[version]?.dist : undefined;
  if (dist === undefined) {
    throw packageNotFound(`Package ${spec.name} has no version ${version}`);
  }
  return { version, dist };
}

function tarballUrl(value: unknown, what: string): string {
  try {
    const url = new URL(String(value));
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // Reported below.
  }
  throw registryUnreachable(`The npm registry gives no valid tarball URL for ${what}`);
}
