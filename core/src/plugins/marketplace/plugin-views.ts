import { maskSecrets } from '../domain/plugin-config.js';
import type { InstalledPlugin } from '../domain/plugin-directory.js';
import type { RecordedEvent } from '../../ports/event-store.port.js';
import {
  PLUGIN_CONFIGURED,
  PLUGIN_INSTALLED,
  PLUGIN_VERSION_CHANGED,
} from '../domain/plugin-events.js';
import type { PluginManifest } from '../sandbox/plugin-runtime.js';

/** What the API shows of an installed plugin: never its code, never a secret in clear. */
export function pluginView(
  plugin: InstalledPlugin,
  extra: { running: boolean; metrics: unknown },
): Record<string, unknown> {
  const { release } = plugin;
  const { manifest } = release;
  return {
    name: release.name,
    version: release.version,
    builtIn: release.origin.kind === 'builtin',
    description: manifest.description,
    author: manifest.author,
    host: manifest.host,
    origin: release.origin,
    integrity: release.integrity,
    hooks: manifest.hooks,
    projections: manifest.projections,
    permissions: manifest.permissions,
    configSchema: manifest.configSchema,
    config: maskSecrets(manifest.configSchema, plugin.config),
    configured: plugin.configured,
    configProblem: plugin.configProblem,
    enabled: plugin.enabled,
    running: extra.running,
    status: plugin.enabled ? (extra.running ? 'running' : 'starting') : 'disabled',
    disabled: plugin.disabled,
    faultCount: plugin.faultCount,
    faults: plugin.faults,
    metrics: extra.metrics,
    installedAt: plugin.installedAt,
    updatedAt: plugin.updatedAt,
    revision: plugin.revision,
  };
}

/**
 * A plugin's history as the API lists it: each event without code or manifest, and every
 * configuration with its secrets masked by the schema of the release in force at that point
 * (so an uninstalled plugin's history is masked too).
 */
export function historyOf(events: readonly RecordedEvent[]): Record<string, unknown>[] {
  let schema: Record<string, unknown> | undefined;
  return events.map((event) => {
    const data = { ...(event.data as Record<string, unknown>) };
    if (event.type === PLUGIN_INSTALLED || event.type === PLUGIN_VERSION_CHANGED) {
      schema = (data.manifest as PluginManifest | undefined)?.configSchema;
      delete data.code;
      delete data.manifest;
    }
    if (event.type === PLUGIN_CONFIGURED) {
      data.config = maskSecrets(schema, (data.config ?? {}) as Record<string, unknown>);
    }
    return {
      id: event.id,
      type: event.type,
      at: event.recordedAt.toISOString(),
      revision: event.revision,
      ...data,
    };
  });
}
