import type { PluginDefinition } from '@uspa/sdk';
import { streamOf } from '../../domain/streams.js';
import { ConfigError, WrongExpectedRevisionError } from '../../errors/index.js';
import type { EventStore } from '../../ports/event-store.port.js';
import type { SecretSealer } from '../../secrets/sealed-secret.js';
import { sealSecrets, validatePluginConfig } from '../domain/plugin-config.js';
import {
  PLUGIN_CONFIGURED,
  PLUGIN_ENABLED,
  PLUGIN_INSTALLED,
  type PluginRelease,
} from '../domain/plugin-events.js';
import { manifestOf } from '../sandbox/plugin-manifest.js';

/**
 * Installs, configures and enables the built-in plugins named in the start-up configuration
 * (`enrichment.plugins`, `enrichment.config`) the first time USPA starts with them. A plugin
 * with any history is left as operators made it: uninstalling or disabling one through the API
 * sticks across restarts. Several processes may seed at once; the stream's `no_stream`
 * expectation lets one win.
 */
export async function seedBuiltInPlugins(
  store: EventStore,
  builtIns: ReadonlyMap<string, PluginDefinition<never>>,
  names: readonly string[],
  configs: Readonly<Record<string, unknown>>,
  sealer: SecretSealer,
): Promise<void> {
  for (const name of names) {
    const definition = builtIns.get(name);
    if (!definition) throw new ConfigError(`Invalid configuration: no built-in plugin ${name}`);
    const manifest = manifestOf(definition);
    let config: Record<string, unknown>;
    try {
      config = validatePluginConfig(name, manifest.configSchema, configs[name] ?? {});
    } catch (error) {
      throw new ConfigError(`Invalid configuration: plugin ${(error as Error).message}`);
    }
    const release: PluginRelease = {
      name,
      version: manifest.version,
      manifest,
      origin: { kind: 'builtin' },
    };
    try {
      await store.append(
        streamOf.plugin(name),
        [
          { type: PLUGIN_INSTALLED, data: { ...release, by: 'config' } },
          {
            type: PLUGIN_CONFIGURED,
            data: {
              name,
              config: sealSecrets(manifest.configSchema, config, sealer),
              by: 'config',
            },
          },
          { type: PLUGIN_ENABLED, data: { name, by: 'config' } },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
