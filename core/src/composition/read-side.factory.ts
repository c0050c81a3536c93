import {
  DEFAULT_IDENTITY_POLICY,
  DEFAULT_RETRY_POLICY,
  ProjectionHost,
  profilesProjection,
  type IdentityPolicy,
  type ProjectionControl,
  type ProjectionEventLog,
  type ReadModelStore,
} from '@uspa/projections';
import { join } from 'node:path';
import type { UspaConfig } from '../config/config.js';
import type { Logger } from '../ports/logger.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import { ProjectionThread } from '../read-models/projection-thread.js';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { tellsCommits } from './event-store.factory.js';

/**
 * Opens the read-model storage the configuration names (design §3). The OpenSearch and Redis
 * clients are only loaded when configured, so the embedded default starts light. `logger` hears
 * of the embedded files' problems; `documentWriter` says who writes embedded documents (a thread
 * of their own unless `inline`).
 */
export async function openReadModels(
  config: UspaConfig,
  logger?: Logger,
  { documentWriter = 'thread' }: { documentWriter?: 'thread' | 'inline' } = {},
): Promise<ReadModelStore> {
  const { readModels } = config;
  if (readModels.adapter === 'embedded') {
    const { SqliteReadModelStore } = await import('../adapters/sqlite/sqlite-read-model-store.js');
    return SqliteReadModelStore.open(join(config.dataDir, 'read-models.sqlite'), {
      onProblem: (problem) => logger?.warn({}, problem),
      documentWriter,
    });
  }
  const [
    { Client },
    { OpenSearchDocumentStore },
    { RedisKeyValueStore },
    { ScaleOutReadModelStore },
  ] = await Promise.all([
    import('@opensearch-project/opensearch'),
    import('../adapters/opensearch/opensearch-document-store.js'),
    import('../adapters/redis/redis-key-value-store.js'),
    import('../adapters/read-models/scale-out-read-model-store.js'),
  ]);
  const client = new Client({ node: readModels.opensearch.url, requestTimeout: 60_000 });
  return new ScaleOutReadModelStore(
    new OpenSearchDocumentStore(client, { indexPrefix: readModels.opensearch.indexPrefix }),
    RedisKeyValueStore.connect(readModels.redis.url, { keyPrefix: readModels.redis.keyPrefix }),
  );
}

/** Read-model storage in this process's memory only, for processes without a read side. */
export async function openProcessLocalReadModels(): Promise<ReadModelStore> {
  const { SqliteReadModelStore } = await import('../adapters/sqlite/sqlite-read-model-store.js');
  return SqliteReadModelStore.open(':memory:');
}

export function identityPolicyOf(config: UspaConfig): IdentityPolicy {
  const { identity } = config;
  return {
    uniqueTypes: identity.uniqueIdentifierTypes,
    maxAnonymousIds: identity.maxAnonymousIds,
    junkValues: new Set([
      ...DEFAULT_IDENTITY_POLICY.junkValues,
      ...identity.junkValues.map((value) => value.trim().toLowerCase()),
    ]),
  };
}

/** Where the profile projection tells what it decides (a feed, or its relay to another thread). */
export type ProfileChangeSink = Pick<ProfileChangeFeed, 'decide' | 'publish'>;

/** The built-in projections, configured; `changes` hears what the profile projection decides. */
export function builtInProjections(config: UspaConfig, changes?: ProfileChangeSink) {
  return [
    profilesProjection({
      identity: identityPolicyOf(config),
      reevaluateIntervalMs: config.segments.reevaluateIntervalMs,
      ...(changes && {
        onProfilesDecided: (batch) => changes.decide(batch),
        onProfilesChanged: (batch) => changes.publish(batch),
      }),
    }),
  ];
}

export function createProjectionHost(
  config: UspaConfig,
  log: ProjectionEventLog,
  store: ReadModelStore,
  logger: Logger,
  changes?: ProfileChangeSink,
  options: { commitWindow?: number } = {},
): ProjectionHost {
  return new ProjectionHost(
    builtInProjections(config, changes),
    { log, store, logger: logger.child({ component: 'projections' }) },
    {
      batchSize: config.projections.batchSize,
      retry: DEFAULT_RETRY_POLICY,
      // Moved segment windows are looked for at this pace even when no event arrives.
      settleIntervalMs: Math.min(config.segments.reevaluateIntervalMs, 5_000),
      ...(options.commitWindow === undefined ? {} : { commitWindow: options.commitWindow }),
    },
  );
}

/**
 * Starts the projections of a serving process: on a thread of their own when configured and the
 * log is the embedded store (whose commits wake the thread), else on this thread.
 * `log` takes their appends; `raw` is the same store unwrapped, which tells its commits.
 */
export async function startProjections(
  config: UspaConfig,
  deps: {
    log: EventStore;
    raw: EventStore;
    store: ReadModelStore;
    logger: Logger;
    changes: ProfileChangeSink;
  },
): Promise<ProjectionControl> {
  const { log, raw, store, logger, changes } = deps;
  if (config.projections.thread && tellsCommits(raw)) {
    return ProjectionThread.start(config, {
      log,
      commits: raw,
      changes,
      logger: logger.child({ component: 'projections' }),
    });
  }
  const host = createProjectionHost(config, log, store, logger, changes);
  await host.start();
  return host;
}
