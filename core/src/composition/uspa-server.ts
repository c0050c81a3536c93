import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { DependencyContainer } from 'tsyringe';
import { CONFIG, type UspaConfig } from '../config/config.js';
import { createHttpApp } from '../http/create-app.js';
import { READINESS_CHECKS, type ReadinessCheck } from '../http/health.routes.js';
import { startHttpServer } from '../http/http-server.js';
import { METRICS } from '../observability/metrics.js';
import { INGESTION_PIPELINE, type IngestionPipeline } from '../collect/ingestion.js';
import { trackingHandler } from '../collect/http/tracking.handler.js';
import { webhookRoutes } from '../collect/http/webhook.routes.js';
import { API_KEY_DIRECTORY, type ApiKeyDirectory } from '../keys/api-key-directory.js';
import { apiKeyRoutes } from '../keys/api-key.routes.js';
import {
  TRACKING_PLAN_DIRECTORY,
  type TrackingPlanDirectory,
} from '../tracking-plans/tracking-plan-directory.js';
import { trackingPlanRoutes } from '../tracking-plans/tracking-plan.routes.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { LOGGER } from '../ports/logger.port.js';
import {
  PROFILE_CHANGES,
  PROFILE_QUERIES,
  PROJECTION_HOST,
  SEGMENT_QUERIES,
  READ_MODEL_FOLLOWERS,
  buildContainer,
  type BuildOptions,
} from './build-container.js';
import { READ_MODEL_STORE, type ProjectionControl, type ReadModelStore } from '@uspa/projections';
import type { ProfileQueries } from '../profiles/profile-queries.js';
import { profileLookupHandler } from '../profiles/profile-lookup.handler.js';
import { profileRoutes } from '../profiles/profile.routes.js';
import { projectionRoutes } from '../read-models/projection.routes.js';
import type { LogFollower } from '../read-models/log-follower.js';
import { checkCondition } from '@uspa/projections';
import {
  CONTENT_RULE_DIRECTORY,
  type ContentRuleDirectory,
} from '../content/content-rule-directory.js';
import { contentRuleRoutes } from '../content/content-rule.routes.js';
import { DEMO_WRITE_KEY } from '../demo/demo-write-key.js';
import { demoRoutes } from '../demo/demo.routes.js';
import { attachRealtimeGateway, type RealtimeGateway } from '../realtime/realtime-gateway.js';
import { createRealtimeMetrics } from '../realtime/realtime-metrics.js';
import { realtimeGatewayOptions } from '../realtime/realtime-settings.js';
import {
  personalizationFeed,
  ReadModelPersonalization,
} from '../realtime/read-model-personalization.js';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { SegmentCommands } from '../segments/segment-commands.js';
import { SEGMENT_DIRECTORY, type SegmentDirectory } from '../segments/segment-directory.js';
import type { SegmentQueries } from '../segments/segment-queries.js';
import { segmentRoutes } from '../segments/segment.routes.js';
import { pluginRoutes } from '../plugins/plugin.routes.js';
import { ensureFirstConsoleKey } from '../console/first-console-key.js';
import { PLUGIN_SYSTEM, stopPluginSystem, type PluginSystem } from './plugin-system.factory.js';
import { createConsoleServer } from './console.factory.js';

export interface UspaServer {
  readonly port: number;
  readonly container: DependencyContainer;
  /** Graceful stop: no new connections, in-flight requests finish, stores flush and close. */
  stop(): Promise<void>;
}

/** Starts one USPA process serving HTTP on the configured port (0 picks a free one). */
export async function startUspaServer(
  config: UspaConfig,
  options: BuildOptions = {},
): Promise<UspaServer> {
  const scope = await buildContainer(config, options);
  const logger = scope.resolve<PinoLogger>(LOGGER);
  const eventStore = scope.resolve<EventStore>(EVENT_STORE);
  const keys = scope.resolve<ApiKeyDirectory>(API_KEY_DIRECTORY);
  const plans = scope.resolve<TrackingPlanDirectory>(TRACKING_PLAN_DIRECTORY);
  const followers = scope.resolve<LogFollower[]>(READ_MODEL_FOLLOWERS);
  // Absent when this process leaves projections to others (`projections.enabled: false`).
  const projections = scope.isRegistered(PROJECTION_HOST)
    ? scope.resolve<ProjectionControl>(PROJECTION_HOST)
    : undefined;
  const readModels = scope.resolve<ReadModelStore>(READ_MODEL_STORE);
  const segments = scope.resolve<SegmentDirectory>(SEGMENT_DIRECTORY);
  const contentRules = scope.resolve<ContentRuleDirectory>(CONTENT_RULE_DIRECTORY);
  const profileQueries = scope.resolve<ProfileQueries>(PROFILE_QUERIES);
  const plugins = scope.resolve<PluginSystem>(PLUGIN_SYSTEM);
  const demoWriteKey = scope.isRegistered(DEMO_WRITE_KEY)
    ? scope.resolve<string>(DEMO_WRITE_KEY)
    : undefined;
  const operationsConsole = await createConsoleServer(config, {
    store: eventStore,
    keys,
    profiles: profileQueries,
    contentRules,
    projections,
    logger,
  });
  const app = createHttpApp({
    logger,
    metrics: scope.resolve<Registry>(METRICS),
    readinessChecks: scope.resolve<ReadinessCheck[]>(READINESS_CHECKS),
    site: operationsConsole.site,
    routers: [
      // First: `/v1/content-rules/resolve` must come before `/v1/content-rules/:id`.
      ...operationsConsole.routers,
      webhookRoutes(eventStore, keys),
      apiKeyRoutes(eventStore, keys),
      trackingPlanRoutes(eventStore, keys, plans),
      profileRoutes(scope.resolve<ProfileQueries>(PROFILE_QUERIES), keys, eventStore, projections),
      projectionRoutes(projections, keys),
      segmentRoutes(
        keys,
        segments,
        new SegmentCommands(eventStore, segments),
        scope.resolve<SegmentQueries>(SEGMENT_QUERIES),
      ),
      contentRuleRoutes({ store: eventStore, keys, rules: contentRules, checkCondition }),
      pluginRoutes({ keys, store: eventStore, ...plugins }),
      ...(config.demo.enabled ? [demoRoutes(demoWriteKey)] : []),
    ],
  });
  const { host, port, shutdownTimeoutMs, trustProxy } = scope.resolve<UspaConfig>(CONFIG).server;
  app.set('trust proxy', trustProxy);
  const tracking = trackingHandler(scope.resolve<IngestionPipeline>(INGESTION_PIPELINE), keys, {
    trustProxy,
    logger,
  });
  const lookup = profileLookupHandler(profileQueries, keys, logger);
  let running;
  let consoleKeyFile: string | undefined;
  let gateway: RealtimeGateway | undefined;
  try {
    running = await startHttpServer(
      (request, response) => {
        operationsConsole.recognise(request);
        if (!tracking(request, response) && !lookup(request, response)) {
          void app(request, response);
        }
      },
      { host, port },
    );
    if (config.realtime.enabled) {
      const profileChanges = scope.resolve<ProfileChangeFeed>(PROFILE_CHANGES);
      gateway = await attachRealtimeGateway(
        running.server,
        {
          keys,
          source: new ReadModelPersonalization(profileQueries, contentRules, profileChanges),
          feed: personalizationFeed(profileChanges, contentRules),
          logger,
          metrics: createRealtimeMetrics(scope.resolve<Registry>(METRICS)),
        },
        realtimeGatewayOptions(config),
      );
    }
    operationsConsole.attach(running.server, gateway?.io);
    consoleKeyFile = await ensureFirstConsoleKey(eventStore, keys, config.dataDir);
  } catch (error) {
    await operationsConsole.close();
    await gateway?.close();
    await running?.close(shutdownTimeoutMs);
    await stopPluginSystem(plugins);
    await projections?.stop();
    await readModels.close();
    await eventStore.close();
    throw error;
  }
  logger.info(
    { host, port: running.port, eventStore: config.eventStore.adapter },
    'USPA is serving',
  );
  if (consoleKeyFile) {
    logger.info(
      { console: `http://localhost:${running.port}/`, keyFile: consoleKeyFile },
      'operations console: sign in with the secret key kept in keyFile',
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info({}, 'shutting down');
      await operationsConsole.close();
      await gateway?.close();
      await running.close(shutdownTimeoutMs);
      // Consumers first: they read the log and write checkpoints to the read models.
      await stopPluginSystem(plugins);
      await Promise.all(followers.map((follower) => follower.stop()));
      await projections?.stop();
      await readModels.close();
      await eventStore.close();
      logger.info({}, 'stopped');
      logger.flush();
    })());
  return { port: running.port, container: scope, stop };
}
