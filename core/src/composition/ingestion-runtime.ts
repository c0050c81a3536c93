import { INGESTION_PIPELINE, type IngestionPipeline } from '../collect/ingestion.js';
import type { UspaConfig } from '../config/config.js';
import { API_KEY_DIRECTORY, type ApiKeyDirectory } from '../keys/api-key-directory.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import {
  TRACKING_PLAN_DIRECTORY,
  type TrackingPlanDirectory,
} from '../tracking-plans/tracking-plan-directory.js';
import { buildContainer, type BuildOptions } from './build-container.js';

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
  const scope = await buildContainer(config, options);
  const keys = scope.resolve<ApiKeyDirectory>(API_KEY_DIRECTORY);
  const plans = scope.resolve<TrackingPlanDirectory>(TRACKING_PLAN_DIRECTORY);
  const store = scope.resolve<EventStore>(EVENT_STORE);
  return {
    pipeline: scope.resolve<IngestionPipeline>(INGESTION_PIPELINE),
    close: async () => {
      await Promise.all([keys.stop(), plans.stop()]);
      await store.close();
    },
  };
}
