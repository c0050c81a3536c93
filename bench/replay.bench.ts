/**
 * Replay benchmark: `npm run bench:replay [-- --events 1000000 --profiles 50000 --runs 3]`.
 *
 * Rebuilds identity resolution + the profile projection from position 0 of a generated log
 * (people browse anonymously, identify, come back, view products, order; sessions interleave)
 * on the embedded read side, and on OpenSearch + Redis when they answer. Prints events/s to
 * "caught up" (checkpoint at the head) and to "settled" (search documents written too), and the
 * longest the event loop was held at once in each phase: what a rebuild would make the requests
 * of a live server beside it wait.
 *
 * First, the log is read alone, as a runner reads it: no single-threaded rebuild can pass that
 * rate here, and each rebuild's rate is also given as a share of it.
 *
 * With the Online Retail file present (`--dataset`, default ../shared/datasets/online-retail),
 * it also imports it with `uspa import` and replays it with `uspa replay`, each in its own
 * process, and prints their peak RSS.
 */
import { Client } from '@opensearch-project/opensearch';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OpenSearchDocumentStore } from '../core/src/adapters/opensearch/opensearch-document-store.js';
import { ScaleOutReadModelStore } from '../core/src/adapters/read-models/scale-out-read-model-store.js';
import { RedisKeyValueStore } from '../core/src/adapters/redis/redis-key-value-store.js';
import { SqliteEventStore } from '../core/src/adapters/sqlite/sqlite-event-store.js';
import { removeDatabaseFiles } from '../core/src/adapters/sqlite/sqlite-read-model-database.js';
import {
  documentsFileOf,
  SqliteReadModelStore,
} from '../core/src/adapters/sqlite/sqlite-read-model-store.js';
import { REBUILD_COMMIT_WINDOW } from '../core/src/cli/projections.command.js';
import { PROFILES_HANDLES } from '../projections/src/index.js';
import { writeGeneratedLog } from './replay/generated-log.js';
import { timeLogRead } from './replay/log-read-run.js';
import { importAndReplayOnlineRetail } from './replay/online-retail-run.js';
import { timeRebuild, type RebuildResult } from './replay/rebuild-run.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    profiles: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    'batch-size': { type: 'string', default: '2000' },
    'scale-out-events': { type: 'string', default: '100000' },
    dataset: { type: 'string', default: '../shared/datasets/online-retail/online_retail.csv.gz' },
    dir: { type: 'string', default: tmpdir() },
  },
});
const EVENTS = Number(values.events);
const PROFILES = Number(values.profiles);
const RUNS = Number(values.runs);
const BATCH = Number(values['batch-size']);
const work = mkdtempSync(join(values.dir, 'uspa-bench-replay-'));

async function generatedLog(
  name: string,
  events: number,
  profiles: number,
): Promise<SqliteEventStore> {
  const log = new SqliteEventStore({
    file: join(work, `${name}.sqlite`),
    synchronous: 'NORMAL',
    pollIntervalMs: 100,
  });
  const started = performance.now();
  const written = await writeGeneratedLog(log, { events, profiles });
  console.log(
    `${name}: ${written.toLocaleString('en-US')} events written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return log;
}

/** Events/s of reading the log alone (the median of `runs`), and its row. */
async function readingAlone(
  log: SqliteEventStore,
  runs: number,
): Promise<{ rate: number; row: Row }> {
  const results = [];
  for (let run = 0; run < runs; run++)
    results.push(await timeLogRead(log, PROFILES_HANDLES, BATCH));
  const events = results[0]?.events ?? 0;
  const rate = Math.round(median(results.map((r) => events / (r.ms / 1000))));
  const row = {
    'read side': 'none: the log read alone, as a runner reads it',
    events,
    runs: results.length,
    'caught up ev/s (median)': rate,
    'share of reading rate': '100%',
    'settled ev/s (median)': '',
    'settled s (median)': '',
    // Here, CPU s to read it.
    'CPU s to settled (median)': Number((median(results.map((r) => r.cpuMs)) / 1000).toFixed(2)),
  };
  return { rate, row };
}

function row(readSide: string, results: RebuildResult[], readingRate: number): Row {
  const events = results[0]?.events ?? 0;
  const caughtUp = Math.round(median(results.map((r) => events / (r.caughtUpMs / 1000))));
  return {
    'read side': readSide,
    events,
    runs: results.length,
    'caught up ev/s (median)': caughtUp,
    'share of reading rate': `${Math.round((caughtUp / readingRate) * 100)}%`,
    'settled ev/s (median)': Math.round(median(results.map((r) => events / (r.settledMs / 1000)))),
    'settled s (median)': Number((median(results.map((r) => r.settledMs)) / 1000).toFixed(2)),
    'CPU s to settled (median)': Number((median(results.map((r) => r.cpuMs)) / 1000).toFixed(2)),
    'longest step ms catching up / settling (median)': `${Math.round(
      median(results.map((r) => r.longestStepMs.catchingUp)),
    )} / ${Math.round(median(results.map((r) => r.longestStepMs.settling)))}`,
  };
}

/**
 * `inline`: as `uspa replay` rebuilds on the embedded store, documents written on its thread;
 * `thread`: as a server rebuilds (the admin API), documents written by their own thread.
 */
async function embedded(
  log: SqliteEventStore,
  documentWriter: 'inline' | 'thread',
  readingRate: number,
): Promise<Row> {
  const results: RebuildResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    const file = join(work, `read-models-${run}.sqlite`);
    const store = SqliteReadModelStore.open(file, { documentWriter });
    results.push(await timeRebuild(log, store, BATCH, REBUILD_COMMIT_WINDOW));
    await store.close();
    for (const base of [file, documentsFileOf(file)]) removeDatabaseFiles(base);
  }
  const label =
    documentWriter === 'inline' ? 'embedded (SQLite), as uspa replay' : 'embedded, writer thread';
  return row(label, results, readingRate);
}

async function scaleOut(): Promise<Row | undefined> {
  const client = new Client({
    node: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200',
    requestTimeout: 120_000,
  });
  const redis = RedisKeyValueStore.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: 'uspa-bench-replay:',
  });
  try {
    await client.info();
    await redis.ping();
  } catch (error) {
    console.log(`OpenSearch + Redis not reachable, skipped: ${String(error)}`);
    await redis.close().catch(() => undefined);
    return undefined;
  }
  const log = await generatedLog(
    'scale-out-log',
    Number(values['scale-out-events']),
    Math.round(Number(values['scale-out-events']) / 20),
  );
  const documents = new OpenSearchDocumentStore(client, { indexPrefix: 'uspa-bench-replay-' });
  const store = new ScaleOutReadModelStore(documents, redis);
  try {
    const reading = await readingAlone(log, 1);
    return row('OpenSearch + Redis', [await timeRebuild(log, store, BATCH)], reading.rate);
  } finally {
    for (const collection of await documents.listCollections(''))
      await documents.dropCollection(collection);
    await redis.deletePrefix('');
    await store.close();
    await log.close();
  }
}

async function main(): Promise<void> {
  // `--events 0` runs the Online Retail part alone.
  if (EVENTS > 0) {
    const log = await generatedLog('log', EVENTS, PROFILES);
    const reading = await readingAlone(log, RUNS);
    const rows = [
      reading.row,
      await embedded(log, 'inline', reading.rate),
      await embedded(log, 'thread', reading.rate),
    ];
    await log.close();
    const scaled = await scaleOut();
    if (scaled) rows.push(scaled);
    printTable(
      `Rebuild of identity + profiles (batch ${BATCH}, ${PROFILES.toLocaleString('en-US')} people)`,
      rows,
    );
  }
  if (existsSync(values.dataset)) {
    printTable(
      'Online Retail: import, then replay, each in its own process',
      await importAndReplayOnlineRetail(values.dataset, work),
    );
  } else {
    console.log(`${values.dataset} not found: Online Retail run skipped.`);
  }
  rmSync(work, { recursive: true, force: true });
}

await main();
