/**
 * A projector process for the crash tests: runs the profile projection over a data directory's
 * log until it is killed. Prints `committed <position>` after each commit and `settled <position>`
 * once it has caught up and finished its deferred indexing; SIGTERM stops it cleanly.
 *
 * Usage: node --conditions=@uspa/source --import tsx profiles-runner.fixture.ts <dataDir>
 *          [inline | <indexPrefix> <keyPrefix>]
 * Read models: `<dataDir>/read-models.sqlite` (documents written inline, as `uspa replay` does,
 * with `inline`), or OpenSearch + Redis (OPENSEARCH_URL, REDIS_URL) under the given prefixes.
 */
import { Client } from '@opensearch-project/opensearch';
import {
  OpenSearchDocumentStore,
  RedisKeyValueStore,
  ScaleOutReadModelStore,
  SqliteEventStore,
  SqliteReadModelStore,
} from '@uspa/core';
import { join } from 'node:path';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import { ProjectionHost } from '../runtime/projection-host.js';
import { profilesProjection, PROFILES_PROJECTION } from './profiles.projection.js';

const [dataDir, indexPrefix, keyPrefix] = process.argv.slice(2);
if (!dataDir)
  throw new Error(
    'usage: profiles-runner.fixture.ts <dataDir> [inline | <indexPrefix> <keyPrefix>]',
  );

function openReadModels(): ReadModelStore {
  if (indexPrefix === undefined || keyPrefix === undefined) {
    return SqliteReadModelStore.open(join(dataDir!, 'read-models.sqlite'), {
      documentWriter: indexPrefix === 'inline' ? 'inline' : 'thread',
    });
  }
  const client = new Client({
    node: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200',
    requestTimeout: 30_000,
  });
  return new ScaleOutReadModelStore(
    new OpenSearchDocumentStore(client, { indexPrefix }),
    RedisKeyValueStore.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix }),
  );
}

function report(details: Record<string, unknown>, message: string): void {
  const cause = details.err instanceof Error ? `: ${details.err.message}` : '';
  process.stderr.write(`[profiles-runner] ${message}${cause}\n`);
}

const log = new SqliteEventStore({
  file: join(dataDir, 'events.sqlite'),
  synchronous: 'NORMAL',
  pollIntervalMs: 20,
});
const store = openReadModels();
// Small batches: a kill then lands in the middle of a long run of commits, and of commit
// windows of four batches.
const host = new ProjectionHost(
  [profilesProjection()],
  { log, store, logger: { info() {}, warn: report, error: report } },
  {
    batchSize: 50,
    commitWindow: 200,
    retry: { handlerAttempts: 2, baseDelayMs: 10, maxDelayMs: 200 },
  },
);
await host.start();
const runner = host.serving(PROFILES_PROJECTION)!;
runner.onCommit((position) => process.stdout.write(`committed ${position}\n`));

const watch = setInterval(() => {
  void host.status(PROFILES_PROJECTION).then(({ serving }) => {
    if (serving?.lagEvents !== 0 || !runner.settled) return;
    clearInterval(watch);
    process.stdout.write(`settled ${serving.checkpoint}\n`);
  });
}, 50);

process.once('SIGTERM', () => {
  clearInterval(watch);
  void (async () => {
    await host.stop();
    await store.close();
    await log.close();
    process.exit(0);
  })();
});
