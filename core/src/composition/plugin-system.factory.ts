import { builtInPluginCatalog } from '@uspa/plugins';
import type { PluginDefinition } from '@uspa/sdk';
import type { KeyValueStore } from '@uspa/projections';
import type { Registry } from 'prom-client';
import type { UspaConfig } from '../config/config.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import { LogFollower } from '../read-models/log-follower.js';
import { PluginLogBook } from '../plugins/context/plugin-log-book.js';
import { PluginMetrics } from '../plugins/context/plugin-metrics.js';
import { PluginDirectory } from '../plugins/domain/plugin-directory.js';
import { PluginDeadLetters } from '../plugins/host/plugin-dead-letters.js';
import { PluginHost } from '../plugins/host/plugin-host.js';
import { loadPluginCatalog, type CatalogEntry } from '../plugins/marketplace/plugin-catalog.js';
import { PluginCommands } from '../plugins/marketplace/plugin-commands.js';
import { seedBuiltInPlugins } from '../plugins/marketplace/seed-built-in-plugins.js';
import { loadDataDirSecret } from '../secrets/data-dir-secret.js';
import { SecretBox } from '../secrets/secret-box.js';

export const PLUGIN_SYSTEM = Symbol('PluginSystem');

/** Everything of the plugin host and marketplace one process holds. */
export interface PluginSystem {
  directory: PluginDirectory;
  host: PluginHost;
  commands: PluginCommands;
  catalog: readonly CatalogEntry[];
  logBook: PluginLogBook;
  metrics: PluginMetrics;
  deadLetters: PluginDeadLetters;
  follower: LogFollower;
}

/**
 * Seeds the configured built-ins, follows the `plugin-*` streams and starts the enabled plugins.
 * `consumers` runs their `onEvent`/`onBatch`/projection subscriptions in this process too.
 */
export async function startPluginSystem(
  config: UspaConfig,
  deps: { store: EventStore; keyValues: KeyValueStore; logger: Logger; registry: Registry },
  options: { consumers: boolean },
): Promise<PluginSystem> {
  const builtIns = new Map<string, PluginDefinition<never>>(
    builtInPluginCatalog.map((definition) => [definition.name, definition]),
  );
  const sealer = new SecretBox(await pluginSecretKey(config));
  await seedBuiltInPlugins(
    deps.store,
    builtIns,
    config.enrichment.plugins,
    config.enrichment.config,
    sealer,
  );
  const directory = new PluginDirectory(sealer);
  const follower = new LogFollower(deps.store, deps.logger, STREAM_PREFIX.plugin, (event) =>
    directory.apply(event),
  );
  await follower.start();
  const logBook = new PluginLogBook(deps.logger);
  const metrics = new PluginMetrics(deps.registry);
  const deadLetters = new PluginDeadLetters(deps.store);
  const { plugins: settings } = config;
  const host = new PluginHost({
    directory,
    store: deps.store,
    keyValues: deps.keyValues,
    logBook,
    metrics,
    deadLetters,
    logger: deps.logger,
    settings,
    builtIns,
    consumers: options.consumers,
  });
  await host.start();
  const catalog = loadPluginCatalog([...builtIns.values()], settings.catalogFile);
  const commands = new PluginCommands(
    deps.store,
    directory,
    {
      builtIns,
      catalog,
      registry: settings.registry,
      allowFolderInstall: settings.allowFolderInstall,
      limits: { timeoutMs: settings.enrichTimeoutMs, memoryMb: settings.memoryMb },
    },
    sealer,
  );
  return { directory, host, commands, catalog, logBook, metrics, deadLetters, follower };
}

/**
 * The secret plugin configuration secrets are sealed with: `plugins.secretKey`, else the one
 * kept in the data directory (created on the first start).
 */
function pluginSecretKey(config: UspaConfig): Promise<Buffer> | Buffer {
  const configured = config.plugins.secretKey;
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  return loadDataDirSecret(config.dataDir, 'plugin-secret-key');
}

/** Stops the plugins (consumers first) and stops following their streams. */
export async function stopPluginSystem(system: PluginSystem): Promise<void> {
  await system.host.stop();
  await system.follower.stop();
}
