import {
  DEFAULT_IDENTITY_POLICY,
  DEFAULT_RETRY_POLICY,
  ProjectionHost,
  profilesProjection,
  type IdentityPolicy,
  type ReadModelStore,
} from '@uspa/projections';
import { join } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import type { UspaConfig } from '../config/config.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';

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

/** The built-in projections, configured; `changes` hears what the profile projection decides. */
export function builtInProjections(config: UspaConfig, changes?: ProfileChangeFeed) {
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
  log: EventStore,
  store: ReadModelStore,
  logger: PinoLogger,
  changes?: ProfileChangeFeed,
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
