/**
 * Event store benchmark: `npm run bench:store [-- --events 100000 --runs 3]`.
 *
 * Compares the embedded SQLite adapter with a bare better-sqlite3 insert loop on the same schema,
 * in the same process and on the same disk, and prints medians over several runs.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SqliteEventStore } from '../core/src/adapters/sqlite/sqlite-event-store.js';
import { openEventLog } from '../core/src/adapters/sqlite/sqlite-schema.js';
import type { EventToAppend } from '../core/src/ports/event-store.port.js';
import { browserContext, productPage, viewedProduct } from './product-viewed.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: tmpdir() },
    // Internal: measure catch-up reads of this file in a fresh process (see readInChild).
    'read-file': { type: 'string' },
  },
});
const TOTAL = Number(values.events);
const RUNS = Number(values.runs);

/** A track call of about 1 KB, as the collection API stores it. */
function aTrackEvent(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'Tracked',
    data: {
      event: 'Product Viewed',
      messageId: `msg-${n}`,
      anonymousId: `anon-${n % 5000}`,
      timestamp: new Date(1_700_000_000_000 + n * 1000).toISOString(),
      properties: {
        product_id: `SKU-${n % 997}`,
        ...viewedProduct,
        url: 'https://shop.example.com/products/set-of-3-cake-tins-pantry-design?ref=home',
      },
      context: {
        ...browserContext,
        page: productPage,
        campaign: { source: 'newsletter', medium: 'email', name: 'spring-sale' },
      },
    },
    metadata: { source: 'bench', receivedAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

const events = values['read-file'] ? [] : Array.from({ length: TOTAL }, (_, n) => aTrackEvent(n));
const work = values['read-file'] ? '' : mkdtempSync(join(values.dir, 'uspa-bench-'));
let fileNo = 0;
const freshFile = (): string => join(work, `store-${fileNo++}.db`);

/**
 * A fresh store whose writer thread is already running: the bare loop opens its database before
 * its clock starts too, and the thread's start (~150 ms from sources) is not an append's cost.
 */
async function openStore(writer: 'worker' | 'inline' = 'worker'): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({
    file: freshFile(),
    synchronous: 'FULL',
    pollIntervalMs: 100,
    writer,
  });
  await store.append('bench-warm-up', [aTrackEvent(-1)]);
  return store;
}

/** The floor: one prepared insert per event, one transaction per batch, nothing else. */
function bareInsertLoop(batchSize: number): number {
  const db = new Database(freshFile());
  openEventLog(db, 'FULL');
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  const writeBatch = db.transaction((batch: EventToAppend[], stream: string) => {
    let revision = revisions.get(stream) ?? -1;
    for (const event of batch) {
      revision += 1;
      insert.run(
        event.id,
        stream,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        Date.now(),
      );
    }
    revisions.set(stream, revision);
  });
  const started = performance.now();
  for (let i = 0, b = 0; i < TOTAL; i += batchSize, b++) {
    writeBatch(events.slice(i, i + batchSize), `user-${b % 1000}`);
  }
  const rate = TOTAL / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

async function adapterBatches(
  batchSize: number,
  writer: 'worker' | 'inline' = 'worker',
): Promise<number> {
  const store = await openStore(writer);
  const count = batchSize === 1 ? Math.min(TOTAL, 5000) : TOTAL;
  const started = performance.now();
  for (let i = 0, b = 0; i < count; i += batchSize, b++) {
    await store.append(`user-${b % 1000}`, events.slice(i, i + batchSize));
  }
  const rate = count / ((performance.now() - started) / 1000);
  await store.close();
  return rate;
}

async function concurrentSingles(writers: number): Promise<{ rate: number; p99: number }> {
  const store = await openStore();
  const perWriter = Math.floor(Math.min(TOTAL, 50_000) / writers);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = 0; n < perWriter; n++) {
        const sent = performance.now();
        await store.append(`anon-${w}-${n % 50}`, [events[(w * perWriter + n) % TOTAL]!]);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const rate = (perWriter * writers) / ((performance.now() - started) / 1000);
  await store.close();
  latencies.sort((a, b) => a - b);
  return { rate, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

/** A closed store file holding every event, as a projector finds the log when it catches up. */
async function writeLogFile(): Promise<string> {
  const file = freshFile();
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL', pollIntervalMs: 100 });
  for (let i = 0, b = 0; i < TOTAL; i += 1000, b++) {
    await store.append(`user-${b % 1000}`, events.slice(i, i + 1000));
  }
  await store.close();
  return file;
}

/**
 * Reads the whole log through a catch-up subscription, event by event, or read by read as a
 * projection runner consumes it (`subscription.batches()`).
 */
async function catchUpRead(file: string, mode: 'events' | 'batches' = 'events'): Promise<number> {
  const store = new SqliteEventStore({ file, synchronous: 'FULL', pollIntervalMs: 100 });
  const started = performance.now();
  let seen = 0;
  let checksum = 0;
  const subscription = store.subscribeToAll({ from: 'start' });
  if (mode === 'batches' && subscription.batches) {
    for await (const batch of subscription.batches()) {
      for (const event of batch) {
        checksum += (event.data as { properties: { price: number } }).properties.price;
      }
      if ((seen += batch.length) >= TOTAL) break;
    }
  } else {
    for await (const event of subscription) {
      checksum += (event.data as { properties: { price: number } }).properties.price;
      if (++seen === TOTAL) break;
    }
  }
  const rate = TOTAL / ((performance.now() - started) / 1000);
  if (checksum === 0) throw new Error('events were not parsed');
  await store.close();
  return rate;
}

/** The floor for reading: raw rows of one prepared statement and JSON.parse, nothing else. */
function bareReadLoop(file: string): number {
  const db = new Database(file, { readonly: true });
  db.pragma('mmap_size = 268435456');
  const select = db
    .prepare(
      'SELECT position, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT 1000',
    )
    .raw(true);
  const started = performance.now();
  let after = 0;
  let checksum = 0;
  for (;;) {
    const rows = select.all(after) as [number, string, string][];
    if (rows.length === 0) break;
    for (const [, data, metadata] of rows) {
      checksum += (JSON.parse(data) as { properties: { price: number } }).properties.price;
      JSON.parse(metadata);
    }
    after = rows[rows.length - 1]![0];
  }
  const rate = TOTAL / ((performance.now() - started) / 1000);
  db.close();
  if (checksum === 0) throw new Error('events were not parsed');
  return rate;
}

/**
 * Catch-up is measured in a fresh process, as a projector meets the log: the writer phases above
 * leave a large heap behind that would slow every garbage collection of the readers.
 */
function readInChild(file: string): { bareReads: number[]; reads: number[]; batchReads: number[] } {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--read-file',
      file,
      '--events',
      String(TOTAL),
      '--runs',
      String(RUNS),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`catch-up measurement failed: ${child.status}`);
  return JSON.parse(child.stdout) as { bareReads: number[]; reads: number[]; batchReads: number[] };
}

async function measureReads(file: string): Promise<void> {
  await catchUpRead(file); // warm-up: JIT and page cache, as in a long rebuild
  const bareReads: number[] = [];
  const reads: number[] = [];
  const batchReads: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    bareReads.push(bareReadLoop(file));
    reads.push(await catchUpRead(file));
    batchReads.push(await catchUpRead(file, 'batches'));
  }
  process.stdout.write(JSON.stringify({ bareReads, reads, batchReads }));
}

interface Measured {
  rates: number[];
  note?: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = (scenario: string, { rates, note = '' }: Measured): void => {
    rows.push({
      scenario,
      'events/s (median)': Math.round(median(rates)),
      runs: rates.map(Math.round).join(' / '),
      note,
    });
  };

  for (const size of [1, 10, 100, 1000]) {
    // Interleaved runs: disk and CPU noise hit the baseline and the adapter alike.
    const bare: number[] = [];
    const worker: number[] = [];
    const inline: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      bare.push(bareInsertLoop(size));
      worker.push(await adapterBatches(size, 'worker'));
      inline.push(await adapterBatches(size, 'inline'));
    }
    const ofBare = (rates: number[]): string =>
      `${Math.round(median(rates.map((rate, r) => rate / bare[r]!)) * 100)}% of bare (median of paired runs)`;
    add(`bare insert loop, batch ${size}`, { rates: bare });
    add(`append, writer thread, batch ${size}`, { rates: worker, note: ofBare(worker) });
    add(`append, inline writer, batch ${size}`, { rates: inline, note: ofBare(inline) });
  }

  const concurrent: number[] = [];
  const p99s: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const { rate, p99 } = await concurrentSingles(64);
    concurrent.push(rate);
    p99s.push(p99);
  }
  add('64 concurrent writers, 1 event each', {
    rates: concurrent,
    note: `ack p99 ${median(p99s).toFixed(1)} ms (group commit)`,
  });

  const { bareReads, reads, batchReads } = readInChild(await writeLogFile());
  const ofBareRead = (rates: number[]): string =>
    `${Math.round(median(rates.map((rate, r) => rate / bareReads[r]!)) * 100)}% of bare read`;
  add('bare read loop + JSON.parse', { rates: bareReads });
  add('catch-up subscription read + parse', { rates: reads, note: ofBareRead(reads) });
  add('catch-up subscription, read batches', { rates: batchReads, note: ofBareRead(batchReads) });

  printTable(`Event store (${TOTAL} events of ~1 KB, synchronous=FULL, ${RUNS} runs)`, rows);
  rmSync(work, { recursive: true, force: true });
}

if (values['read-file']) await measureReads(values['read-file']);
else await main();
