/**
 * Ingestion benchmark: `npm run bench:ingest [-- --duration 10 --runs 3 --connections 16
 * --track-connections 16,64]`.
 *
 * Sends Segment-spec traffic over HTTP from a separate load process to (a) a "raw limit"
 * server — node:http, JSON.parse and one better-sqlite3 transaction per request on the events
 * schema, synchronous=FULL, no validation or enrichment — and (b) USPA itself on its embedded
 * store with the default configuration (enrichment on). Prints events/s, the USPA/raw ratio and
 * acknowledgement latency, medians over interleaved runs. Then (c) the cost of isolated
 * third-party enrich plugins: USPA with 0, 1 and 4 of them (`--isolated 0,1,4`, `--isolated-only`).
 *
 * The load generator is this file run with `--load <url>`: an undici Pool of N keep-alive
 * connections, each with one request in flight, for a fixed duration. Batches come from a few
 * senders (servers, SDK flushers): `--connections`, 16. Single calls come from browsers and
 * devices, each on its own connection: with one call in flight per connection, 16 of them
 * measure how fast one durable commit answers, more of them how many calls the server absorbs,
 * so `/v1/track` runs at each of `--track-connections` (16 and 64).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { openEventLog } from '../core/src/adapters/sqlite/sqlite-schema.js';
import { startUspaServer } from '../core/src/composition/uspa-server.js';
import { loadConfig } from '../core/src/config/load-config.js';
import { browserContext, productPage, viewedProduct } from './product-viewed.js';
import { runLoadInChild } from './load-child.js';
import { mainThreadCpu } from './thread-cpu.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    'track-connections': { type: 'string', default: '16,64' },
    'batch-size': { type: 'string', default: '100' },
    dir: { type: 'string', default: tmpdir() },
    // Internal: run as the load generator against this base URL (see measureInChild).
    load: { type: 'string' },
    scenario: { type: 'string', default: 'batch' },
    // Which of the comparisons with the raw limit to run: `batch`, `single` or both.
    scenarios: { type: 'string', default: 'batch,single' },
    projections: { type: 'boolean', default: false },
    // Isolated enrich plugins to compare (`--isolated 0,1,4`); `none` skips that section.
    isolated: { type: 'string', default: '0,1,4' },
    // Only the isolated-plugin section.
    'isolated-only': { type: 'boolean', default: false },
    // Which plugins: declaring the fields they read (\`fields\`), reading whole events (\`whole\`).
    'isolated-reads': { type: 'string', default: 'fields,whole' },
  },
});
const DURATION_S = Number(values.duration);
const RUNS = Number(values.runs);
const CONNECTIONS = Number(values.connections);
const TRACK_CONNECTIONS = values['track-connections'].split(',').map(Number);
const BATCH_SIZE = Number(values['batch-size']);
const WRITE_KEY = 'uspa_wk_bench_write_key_0123456789';
const ADMIN_KEY = 'uspa_sk_bench_admin_key_0123456789';
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

type Scenario = 'batch' | 'single';

interface LoadResult {
  events: number;
  requests: number;
  failures: number;
  seconds: number;
  p50: number;
  p99: number;
  /** The load generator's own CPU time per second of load (1 = a whole core). */
  cpu: number;
}

// ---------------------------------------------------------------------------------------------
// Load generator (child process)

/**
 * A track call of about 1 KB as a browser library sends it, as encoded parts around `@ID@` and
 * `@USER@`, which are replaced per message so every event is new (USPA deduplicates repeated
 * messageIds) and streams vary. Bodies are assembled from bytes: building and encoding a 100 KB
 * string per request would take a fifth of a core from the server under test on this machine.
 */
const TRACK_PARTS = JSON.stringify({
  type: 'track',
  messageId: '@ID@',
  anonymousId: 'anon-@USER@',
  userId: 'user-@USER@',
  event: 'Product Viewed',
  timestamp: '2026-11-29T10:00:00.000Z',
  properties: { product_id: 'SKU-4711', ...viewedProduct },
  context: {
    ...browserContext,
    page: {
      ...productPage,
      url: 'https://shop.example.com/products/set-of-3-cake-tins-pantry-design?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
    },
  },
})
  .split(/@ID@|@USER@/)
  .map((part) => Buffer.from(part)) as [Buffer, Buffer, Buffer, Buffer];

const USERS = Array.from({ length: 1000 }, (_, user) => Buffer.from(String(user)));
const COMMA = Buffer.from(',');
let sequence = 0;
const runId = randomUUID().slice(0, 8);

function pushTrack(parts: Buffer[]): void {
  const n = sequence++;
  const user = USERS[n % USERS.length]!;
  const [a, b, c, d] = TRACK_PARTS;
  parts.push(a, Buffer.from(`${runId}-${n}`), b, user, c, user, d);
}

function aBody(scenario: Scenario): Buffer {
  const parts: Buffer[] = [];
  if (scenario === 'single') {
    pushTrack(parts);
    return Buffer.concat(parts);
  }
  parts.push(Buffer.from('{"batch":['));
  for (let i = 0; i < BATCH_SIZE; i++) {
    if (i > 0) parts.push(COMMA);
    pushTrack(parts);
  }
  parts.push(Buffer.from(`],"sentAt":"${new Date().toISOString()}"}`));
  return Buffer.concat(parts);
}

async function generateLoad(base: string, scenario: Scenario): Promise<LoadResult> {
  const pool = new Pool(base, { connections: CONNECTIONS, pipelining: 1 });
  const path = scenario === 'batch' ? '/v1/batch' : '/v1/track';
  const perRequest = scenario === 'batch' ? BATCH_SIZE : 1;
  const latencies: number[] = [];
  let failures = 0;
  const send = async (): Promise<void> => {
    const body = aBody(scenario);
    const sent = performance.now();
    const { statusCode, body: response } = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTH },
      body,
    });
    await response.text();
    if (statusCode === 200) latencies.push(performance.now() - sent);
    else failures++;
  };
  // Warm-up: connections open, JIT warm, before the clock starts.
  await Promise.all(Array.from({ length: CONNECTIONS }, send));
  latencies.length = 0;
  failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) await send();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return {
    events: latencies.length * perRequest,
    requests: latencies.length,
    failures,
    seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpu: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

/** The load generator's median share of one core: what it took from the machine under test. */
function loadCpu(results: readonly LoadResult[]): string {
  return `${Math.round(median(results.map((x) => x.cpu)) * 100)}%`;
}

interface Measured extends LoadResult {
  /**
   * CPU time of this process (the server under test, its worker threads and isolates) per
   * acknowledged event, warm-up included: steadier than events/s on a noisy machine.
   */
  serverCpuPerEvent: number;
  /**
   * CPU time of the server's main thread per acknowledged event, warm-up included: the part of
   * the work no other thread takes, and what bounds single calls (Linux only).
   */
  mainThreadCpuPerEvent: number | undefined;
}

/** Runs the load generator in another process, so it never shares an event loop with a server. */
async function measureInChild(
  base: string,
  scenario: Scenario,
  connections = CONNECTIONS,
): Promise<Measured> {
  const before = process.cpuUsage();
  const mainBefore = mainThreadCpu();
  const result = await runLoadInChild<LoadResult>(fileURLToPath(import.meta.url), [
    '--load',
    base,
    '--scenario',
    scenario,
    '--duration',
    String(DURATION_S),
    '--connections',
    String(connections),
    '--batch-size',
    String(BATCH_SIZE),
  ]);
  const cpu = process.cpuUsage(before);
  const mainAfter = mainThreadCpu();
  const events = result.events + connections * (scenario === 'batch' ? BATCH_SIZE : 1);
  return {
    ...result,
    serverCpuPerEvent: (cpu.user + cpu.system) / events,
    mainThreadCpuPerEvent:
      mainAfter === undefined || mainBefore === undefined
        ? undefined
        : (mainAfter - mainBefore) / events,
  };
}

/** Median server CPU per event, in microseconds. */
function serverCpu(results: readonly Measured[]): number {
  return Math.round(median(results.map((x) => x.serverCpuPerEvent)));
}

/** Median CPU time of the main thread per event, in microseconds, where it can be read. */
function mainThread(results: readonly Measured[]): number | string {
  const values = results.map((x) => x.mainThreadCpuPerEvent);
  return values.every((x) => x !== undefined) ? Math.round(median(values)) : '–';
}

// ---------------------------------------------------------------------------------------------
// Servers under test

interface Target {
  base: string;
  stop(): Promise<void>;
}

/** The raw limit: parse, one transaction per request, fsync, answer. Nothing else. */
async function startRawServer(file: string): Promise<Target> {
  const db = new Database(file);
  openEventLog(db, 'FULL');
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  const metadata = JSON.stringify({ channel: 'http', schemaVersion: 1 });
  const write = db.transaction((messages: Record<string, unknown>[]) => {
    const now = Date.now();
    for (const message of messages) {
      const stream = `user-${String(message.userId)}`;
      const revision = (revisions.get(stream) ?? -1) + 1;
      revisions.set(stream, revision);
      insert.run(randomUUID(), stream, revision, 'Tracked', JSON.stringify(message), metadata, now);
    }
  });
  const readBody = async (request: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((text) => {
        const body = JSON.parse(text) as Record<string, unknown>;
        write(request.url === '/v1/batch' ? (body.batch as Record<string, unknown>[]) : [body]);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      })
      .catch(() => response.writeHead(400).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      db.close();
    },
  };
}

async function startUspa(dataDir: string): Promise<Target> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: dataDir,
    USPA_LOG_LEVEL: 'warn',
    USPA_BOOTSTRAP_WRITE_KEY: WRITE_KEY,
    USPA_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    // Ingestion alone by default, as an API node of a scale-out install runs it; `--projections`
    // keeps the profile projection in the same process, as the embedded single process does.
    USPA_PROJECTIONS: values.projections ? 'true' : 'false',
  });
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const server = await startUspaServer(config, { logDestination: silent });
  return { base: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const work = mkdtempSync(join(values.dir, 'uspa-ingest-bench-'));
  if (!values['isolated-only']) await compareWithRaw(work);
  if (values.isolated !== 'none') {
    await compareIsolatedPlugins(work, values.isolated.split(',').map(Number));
  }
  rmSync(work, { recursive: true, force: true });
}

/**
 * The cost of third-party enrich plugins, each in its own isolate: USPA with 0, 1 and 4 of them
 * installed and enabled through the API, interleaved runs of the batch scenario. Each count runs
 * with plugins that declare the fields they read (`permissions.fields`, as the plugin template
 * does) and with plugins that read the whole event (`--isolated-reads fields,whole`).
 */
async function compareIsolatedPlugins(work: string, counts: number[]): Promise<void> {
  const reads = values['isolated-reads'].split(',') as Reads[];
  const plugins = new Map(reads.map((read) => [read, writeIsolatedPlugin(work, read)]));
  const variants: { count: number; read?: Reads; label: string }[] = counts.flatMap((count) =>
    count === 0
      ? [{ count, label: '0' }]
      : reads.map((read) => ({
          count,
          read,
          label: `${count} (${read === 'fields' ? 'declared fields' : 'whole event'})`,
        })),
  );
  const results = new Map<string, Measured[]>(variants.map(({ label }) => [label, []]));
  let n = 0;
  for (let r = 0; r < RUNS; r++) {
    for (const variant of variants) {
      const server = await startUspa(join(work, `isolated-${n++}`));
      const plugin = variant.read === undefined ? undefined : plugins.get(variant.read);
      for (let i = 0; i < variant.count; i++)
        await installIsolated(server.base, plugin!, `bench-enrich-${i}`);
      results.get(variant.label)!.push(await measureInChild(server.base, 'batch'));
      await server.stop();
    }
  }
  const rate = (result: LoadResult): number => result.events / result.seconds;
  const baseline = results.get(variants[0]!.label)!;
  const rows: Row[] = variants.map((variant) => {
    const runs = results.get(variant.label)!;
    const ratios = runs.map((result, r) => rate(result) / rate(baseline[r]!));
    return {
      'isolated enrich plugins': variant.label,
      'events/s (median)': Math.round(median(runs.map(rate))),
      runs: runs.map((x) => Math.round(rate(x))).join(' / '),
      'p50 ms': median(runs.map((x) => x.p50)).toFixed(1),
      'p99 ms': median(runs.map((x) => x.p99)).toFixed(1),
      'non-200': runs.reduce((sum, x) => sum + x.failures, 0),
      'server CPU µs/event': serverCpu(runs),
      'main thread CPU µs/event': mainThread(runs),
      'load CPU': loadCpu(runs),
      [`vs ${variants[0]!.label}`]: `${Math.round(median(ratios) * 100)}%`,
    };
  });
  printTable(
    `Isolated enrich plugins (/v1/batch, ${BATCH_SIZE} × ~1 KB, ${CONNECTIONS} connections, ${DURATION_S} s, ${RUNS} runs; each plugin in its own isolate; ratio: paired runs)`,
    rows,
  );
}

type Reads = 'fields' | 'whole';

/**
 * A plugin of realistic weight: it reads the page URL and the price and adds a few derived
 * fields, as a third-party enricher would. Each copy gets its own name and isolate. `fields`:
 * it declares what it reads; `whole`: it receives the whole event.
 */
function writeIsolatedPlugin(work: string, reads: Reads): string {
  const permissions =
    reads === 'fields' ? `permissions: { fields: ['context.page.url', 'properties.price'] },` : '';
  const source = `export default function make(name) {
  return {
    name, version: '1.0.0', host: '*', ${permissions}
    enrich(event) {
      const page = (event.context && event.context.page) || {};
      const url = typeof page.url === 'string' ? page.url : '';
      const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
      const params = {};
      for (const pair of query.split('&')) { const [k, v] = pair.split('='); if (k) params[k] = v; }
      const price = Number(event.properties.price ?? 0);
      return { ...event, enrichment: { ...event.enrichment, [name]: { source: params.utm_source ?? null, band: price > 20 ? 'high' : 'low', length: url.length } } };
    },
  };
}
`;
  const dir = join(work, `isolated-plugin-${reads}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'make.js'), source);
  return dir;
}

async function installIsolated(base: string, source: string, name: string): Promise<void> {
  const dir = join(source, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js' }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import make from '../make.js';\nexport default make(${JSON.stringify(name)});\n`,
  );
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
  const installed = await fetch(`${base}/v1/admin/plugins`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ source: 'folder', path: dir }),
  });
  if (installed.status !== 201) throw new Error(`install ${name}: ${await installed.text()}`);
  const enabled = await fetch(`${base}/v1/admin/plugins/${name}/enable`, {
    method: 'POST',
    headers,
  });
  const body = (await enabled.json()) as { status?: string };
  if (body.status !== 'running') throw new Error(`enable ${name}: ${JSON.stringify(body)}`);
}

async function compareWithRaw(work: string): Promise<void> {
  let n = 0;
  const rows: Row[] = [];
  const wanted = values.scenarios.split(',');
  const cases: [Scenario, number][] = [
    ...(wanted.includes('batch') ? [['batch', CONNECTIONS] as [Scenario, number]] : []),
    ...(wanted.includes('single')
      ? TRACK_CONNECTIONS.map((count) => ['single', count] as [Scenario, number])
      : []),
  ];
  for (const [scenario, connections] of cases) {
    const raw: Measured[] = [];
    const uspa: Measured[] = [];
    // Interleaved runs on fresh files: disk and CPU noise hit both alike.
    for (let r = 0; r < RUNS; r++) {
      const rawServer = await startRawServer(join(work, `raw-${n++}.db`));
      raw.push(await measureInChild(rawServer.base, scenario, connections));
      await rawServer.stop();
      const dataDir = join(work, `uspa-${n++}`);
      const uspaServer = await startUspa(dataDir);
      uspa.push(await measureInChild(uspaServer.base, scenario, connections));
      await uspaServer.stop();
    }
    const label =
      scenario === 'batch' ? `/v1/batch, ${BATCH_SIZE} × ~1 KB` : '/v1/track, 1 × ~1 KB';
    const rate = (result: LoadResult): number => result.events / result.seconds;
    const ratios = uspa.map((result, r) => rate(result) / rate(raw[r]!));
    const row = (server: string, results: Measured[], note: string): Row => ({
      scenario: label,
      connections,
      server,
      'events/s (median)': Math.round(median(results.map(rate))),
      'requests/s': Math.round(median(results.map((x) => x.requests / x.seconds))),
      runs: results.map((x) => Math.round(rate(x))).join(' / '),
      'p50 ms': median(results.map((x) => x.p50)).toFixed(1),
      'p99 ms': median(results.map((x) => x.p99)).toFixed(1),
      'non-200': results.reduce((sum, x) => sum + x.failures, 0),
      'server CPU µs/event': serverCpu(results),
      'main thread CPU µs/event': mainThread(results),
      'load CPU': loadCpu(results),
      note,
    });
    rows.push(row('raw limit (http + JSON.parse + sqlite txn)', raw, ''));
    rows.push(
      row(
        values.projections
          ? 'USPA (embedded, enrichment + projections)'
          : 'USPA (embedded, enrichment on)',
        uspa,
        `${Math.round(median(ratios) * 100)}% of raw (median of paired runs)`,
      ),
    );
  }
  printTable(
    `Ingestion over HTTP (${DURATION_S} s per run, ${RUNS} runs, synchronous=FULL; one request in flight per connection)`,
    rows,
  );
}

if (values.load) {
  const result = await generateLoad(values.load, values.scenario as Scenario);
  process.stdout.write(JSON.stringify(result));
} else {
  await main();
}
