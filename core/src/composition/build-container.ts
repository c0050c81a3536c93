import { pino, type Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { DependencyContainer } from 'tsyringe';
import { container } from './decorators.js';
import { INGESTION_PIPELINE } from '../collect/ingestion.js';
import {
  EVENT_ENRICHMENT,
  SegmentIngestionPipeline,
  TRACKING_PLANS,
} from '../collect/segment-ingestion-pipeline.js';
import { CONFIG, type UspaConfig } from '../config/config.js';
import { READINESS_CHECKS, type ReadinessCheck } from '../http/health.routes.js';
import { createApiKey } from '../keys/api-key-commands.js';
import { API_KEY_DIRECTORY, ApiKeyDirectory } from '../keys/api-key-directory.js';
import { instrumentEventStore } from '../observability/instrumented-event-store.js';
import { METRICS, createMetricsRegistry } from '../observability/metrics.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { LOGGER } from '../ports/logger.port.js';
import {
  TRACKING_PLAN_DIRECTORY,
  TrackingPlanDirectory,
} from '../tracking-plans/tracking-plan-directory.js';
import { pluginEnrichment } from '../plugins/host/plugin-enrichment.js';
import { PLUGIN_SYSTEM, startPluginSystem } from './plugin-system.factory.js';
import { openEventStore } from './event-store.factory.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import { LogFollower } from '../read-models/log-follower.js';
import { PROFILES_PROJECTION, READ_MODEL_STORE } from '@uspa/projections';
import { registerProjectionMetrics } from '../observability/projection-metrics.js';
import { ProfileQueries } from '../profiles/profile-queries.js';
import { ServingGeneration } from '../profiles/serving-generation.js';
import {
  openProcessLocalReadModels,
  openReadModels,
  startProjections,
} from './read-side.factory.js';
import { CONTENT_RULE_DIRECTORY, ContentRuleDirectory } from '../content/content-rule-directory.js';
import { DEMO_WRITE_KEY, seedDemoWriteKey } from '../demo/demo-write-key.js';
import { seedDemo } from '../demo/demo-seed.js';
import { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { SEGMENT_DIRECTORY, SegmentDirectory } from '../segments/segment-directory.js';
import { SegmentQueries } from '../segments/segment-queries.js';

export const SEGMENT_QUERIES = Symbol('SegmentQueries');
export const PROFILE_CHANGES = Symbol('ProfileChangeFeed');

/** The followers feeding in-memory read models; stopped before the store closes. */
export const READ_MODEL_FOLLOWERS = Symbol('ReadModelFollowers');
/** The projection host of this process, or undefined when projections run elsewhere. */
export const PROJECTION_HOST = Symbol('ProjectionHost');
export const PROFILE_QUERIES = Symbol('ProfileQueries');

export interface BuildOptions {
  /** Where logs go; standard output by default. */
  logDestination?: NodeJS.WritableStream;
  /**
   * Open the read side (read models, projections, profile queries). Off for processes that only
   * write, such as `uspa import`: their events reach the projections of the serving process.
   */
  readSide?: boolean;
}

/**
 * The composition root: the only place that creates adapters and registers them in the container.
 * Everything else receives its dependencies through `@inject(TOKEN)` or plain parameters.
 */
export async function buildContainer(
  config: UspaConfig,
  options: BuildOptions = {},
): Promise<DependencyContainer> {
  const scope = container.createChildContainer();
  const logger: PinoLogger = pino(
    { level: config.log.level, base: { service: 'uspa' } },
    options.logDestination ?? process.stdout,
  );
  const metrics: Registry = createMetricsRegistry();
  const rawEventStore = await openEventStore(config, logger);
  const eventStore: EventStore = instrumentEventStore(rawEventStore, metrics);
  const readiness: ReadinessCheck[] = [{ name: 'eventStore', check: () => eventStore.ping() }];

  scope.register(CONFIG, { useValue: config });
  scope.register(LOGGER, { useValue: logger });
  scope.register(METRICS, { useValue: metrics });
  scope.register(EVENT_STORE, { useValue: eventStore });
  scope.register(READINESS_CHECKS, { useValue: readiness });

  const keys = new ApiKeyDirectory();
  const plans = new TrackingPlanDirectory();
  const segments = new SegmentDirectory();
  const contentRules = new ContentRuleDirectory(logger);
  const followers = [
    new LogFollower(eventStore, logger, STREAM_PREFIX.apiKey, (event) => keys.apply(event)),
    new LogFollower(eventStore, logger, STREAM_PREFIX.trackingPlan, (event) => plans.apply(event)),
    new LogFollower(eventStore, logger, STREAM_PREFIX.segment, (event) => segments.apply(event)),
    new LogFollower(eventStore, logger, STREAM_PREFIX.contentRule, (event) =>
      contentRules.apply(event),
    ),
  ];
  await seedBootstrapKeys(eventStore, config);
  if (config.demo.enabled && options.readSide !== false) {
    scope.register(DEMO_WRITE_KEY, { useValue: await seedDemoWriteKey(eventStore, config) });
    await seedDemo(eventStore);
  }
  await Promise.all(followers.map((follower) => follower.start()));
  scope.register(READ_MODEL_FOLLOWERS, { useValue: followers });
  scope.register(API_KEY_DIRECTORY, { useValue: keys });
  scope.register(TRACKING_PLAN_DIRECTORY, { useValue: plans });
  scope.register(TRACKING_PLANS, { useValue: plans });
  scope.register(SEGMENT_DIRECTORY, { useValue: segments });
  scope.register(CONTENT_RULE_DIRECTORY, { useValue: contentRules });

  // A write-only process (`uspa import`) keeps its plugins' key-values in memory: the read
  // side's files belong to the serving process.
  const readSide = options.readSide !== false;
  const readModels = readSide
    ? await openReadModels(config, logger)
    : await openProcessLocalReadModels();
  const profileChanges = new ProfileChangeFeed();
  // The projections start beside the plugin system: on their own thread, that takes a while.
  const starting =
    readSide && config.projections.enabled
      ? startProjections(config, {
          log: eventStore,
          raw: rawEventStore,
          store: readModels,
          logger,
          changes: profileChanges,
        })
      : undefined;
  // Awaited below; until then a failure must not count as unhandled.
  starting?.catch(() => undefined);
  const plugins = await startPluginSystem(
    config,
    { store: eventStore, keyValues: readModels.keyValues, logger, registry: metrics },
    { consumers: readSide && config.projections.enabled },
  );
  scope.register(PLUGIN_SYSTEM, { useValue: plugins });
  scope.register(READ_MODEL_STORE, { useValue: readModels });
  scope.register(EVENT_ENRICHMENT, { useValue: pluginEnrichment(plugins.host, plugins.metrics) });
  scope.register(INGESTION_PIPELINE, { useClass: SegmentIngestionPipeline });
  if (!readSide) return scope;

  readiness.push({ name: 'readModels', check: () => readModels.ping() });
  scope.register(PROFILE_CHANGES, { useValue: profileChanges });
  if (starting) {
    const host = await starting;
    registerProjectionMetrics(metrics, host);
    scope.register(PROJECTION_HOST, { useValue: host });
  }
  const serving = new ServingGeneration(readModels, PROFILES_PROJECTION);
  scope.register(PROFILE_QUERIES, {
    useValue: new ProfileQueries(readModels, eventStore, serving),
  });
  scope.register(SEGMENT_QUERIES, { useValue: new SegmentQueries(readModels, serving) });
  return scope;
}

/** Keys given in the configuration exist after start; seeding twice writes nothing. */
async function seedBootstrapKeys(store: EventStore, config: UspaConfig): Promise<void> {
  const { bootstrapWriteKey, bootstrapAdminKey } = config.keys;
  if (bootstrapWriteKey) {
    await createApiKey(store, {
      type: 'write',
      name: 'bootstrap write key',
      secret: bootstrapWriteKey,
    });
  }
  if (bootstrapAdminKey) {
    await createApiKey(store, {
      type: 'secret',
      name: 'bootstrap admin key',
      scopes: ['admin'],
      secret: bootstrapAdminKey,
    });
  }
}
