import semver from 'semver';
import type { PluginDefinition } from '@uspa/sdk';
import { NotFoundError, UspaError } from '../../errors/index.js';
import { USPA_VERSION } from '../../version.js';
import type { PluginRelease } from '../domain/plugin-events.js';
import { loadPluginPackage } from '../packages/plugin-package.js';
import { manifestOf } from '../sandbox/plugin-manifest.js';
import { readManifest } from '../sandbox/isolated-plugin-runtime.js';
import type { PluginManifest, RuntimeLimits } from '../sandbox/plugin-runtime.js';
import type { CatalogEntry } from './plugin-catalog.js';
import type { InstallRequest } from './install-request.js';

export interface ReleaseSources {
  builtIns: ReadonlyMap<string, PluginDefinition<never>>;
  catalog: readonly CatalogEntry[];
  registry: string;
  allowFolderInstall: boolean;
  limits: RuntimeLimits;
}

/**
 * Turns an install request into a release: fetches and bundles the package, reads the manifest
 * inside an isolate (the package's code never runs in the host), and checks that the plugin fits
 * this USPA (host range) and declares what its hooks need (event permissions).
 */
export async function resolveRelease(
  request: InstallRequest,
  sources: ReleaseSources,
): Promise<PluginRelease> {
  const release = await fetchRelease(request, sources);
  checkRelease(release.manifest);
  return release;
}

async function fetchRelease(
  request: InstallRequest,
  sources: ReleaseSources,
): Promise<PluginRelease> {
  if (request.source === 'builtin') return builtInRelease(request.name, sources);
  if (request.source === 'catalog') {
    const entry = sources.catalog.find((candidate) => candidate.name === request.name);
    if (!entry) throw new NotFoundError(`The catalog has no plugin ${request.name}`);
    if (entry.source.kind === 'builtin') return builtInRelease(entry.name, sources);
    return fetchRelease(
      entry.source.kind === 'npm'
        ? { source: 'npm', spec: entry.source.spec }
        : { source: 'folder', path: entry.source.path },
      { ...sources, allowFolderInstall: true },
    );
  }
  if (request.source === 'folder' && !sources.allowFolderInstall) {
    throw new UspaError(
      'plugin_source_forbidden',
      403,
      'Installing from a folder is turned off on this server (plugins.allowFolderInstall)',
    );
  }
  const pack = await loadPluginPackage(
    request.source === 'folder'
      ? { kind: 'folder', path: request.path }
      : request.source === 'npm'
        ? { kind: 'npm', spec: request.spec }
        : { kind: 'tarball', bytes: request.bytes },
    { registry: sources.registry },
  );
  const manifest = await readManifest(pack.code, sources.limits);
  if (manifest.name !== pack.name || manifest.version !== pack.version) {
    throw new UspaError(
      'plugin_package_invalid',
      422,
      `The plugin declares ${manifest.name}@${manifest.version} but its package.json says ${pack.name}@${pack.version}`,
    );
  }
  return {
    name: manifest.name,
    version: manifest.version,
    manifest,
    origin: pack.origin,
    integrity: pack.integrity,
    code: pack.code,
  };
}

function builtInRelease(name: string, sources: ReleaseSources): PluginRelease {
  const definition = sources.builtIns.get(name);
  if (!definition) throw new NotFoundError(`No built-in plugin ${name}`);
  const manifest = manifestOf(definition);
  return { name, version: manifest.version, manifest, origin: { kind: 'builtin' } };
}

function checkRelease(manifest: PluginManifest): void {
  if (!semver.validRange(manifest.host)) {
    throw new UspaError(
      'plugin_manifest_invalid',
      422,
      `${manifest.name} declares host "${manifest.host}", which is not a semver range`,
    );
  }
  if (!semver.satisfies(USPA_VERSION, manifest.host, { includePrerelease: true })) {
    throw new UspaError(
      'plugin_host_incompatible',
      422,
      `${manifest.name}@${manifest.version} runs on USPA ${manifest.host}; this is USPA ${USPA_VERSION}`,
    );
  }
  const consumes = manifest.hooks.some((hook) => hook === 'onEvent' || hook === 'onBatch');
  if ((consumes || manifest.projections.length > 0) && manifest.permissions.events.length === 0) {
    throw new UspaError(
      'plugin_manifest_invalid',
      422,
      `${manifest.name} has onEvent, onBatch or projections but declares no permissions.events`,
    );
  }
  for (const projection of manifest.projections) {
    const extra = projection.handles.filter((type) => !manifest.permissions.events.includes(type));
    if (extra.length > 0) {
      throw new UspaError(
        'plugin_manifest_invalid',
        422,
        `Projection ${projection.name} of ${manifest.name} handles ${extra.join(', ')}, which permissions.events does not grant`,
      );
    }
  }
}
