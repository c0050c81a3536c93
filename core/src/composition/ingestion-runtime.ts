import { INGESTION_PIPELINE, type IngestionPipeline } from '../collect/ingestion.js';
import type { UspaConfig } from '../config/config.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { READ_MODEL_FOLLOWERS, buildContainer, type BuildOptions } from './build-container.js';
import { PLUGIN_SYSTEM, stopPluginSystem, type PluginSystem } from './plugin-system.factory.js';
import { READ_MODEL_STORE, type ReadModelStore } from '@uspa/projections';
import type { LogFollower } from '../read-models/log-follower.js';

/** The ingestion pipeline of a command-line process, and how to release what it holds. */
export interface IngestionRuntime {
  pipeline: IngestionPipeline;
  close(): Promise<void>;
}

/**
 * Opens the configured store and the same pipeline the server uses (keys, tracking plans,
 * enrichment), for processes that ingest without serving HTTP, such as `uspa import`.
 */
export async function openIngestionRuntime(
  config: UspaConfig,
  options: BuildOptions = {},
): Promise<IngestionRuntime> {
  const scope = await buildContainer(config, { ...options, readSide: false });
  const followers = scope.resolve<LogFollower[]>(READ_MODEL_FOLLOWERS);
  const store = scope.resolve<EventStore>(EVENT_STORE);
  return {
    pipeline: scope.resolve<IngestionPipeline>(INGESTION_PIPELINE),
    close: async () => {
      await stopPluginSystem(scope.resolve<PluginSystem>(PLUGIN_SYSTEM));
      await Promise.all(followers.map((follower) => follower.stop()));
      await scope.resolve<ReadModelStore>(READ_MODEL_STORE).close();
      await store.close();
    },
  };
}
