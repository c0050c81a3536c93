/**
 * Profile lookup benchmark:
 * `npm run bench:profiles [-- --rate 5000 --duration 10 --warmup 3 --events 100000 --runs 3]`
 * (`--thread true` runs the projections on a thread of their own).
 *
 * Fills a log with generated people, lets a USPA server build their profiles, then a separate
 * load process sends `GET /v1/profiles/user_id:<id>` at a fixed rate (open loop: latency counts
 * from when a request was due, so a stall is not hidden) and reports p50/p99, after a warm-up at
 * the same rate that is not counted. Runs on the embedded read side, and Redis-backed
 * (OpenSearch + Redis) when both answer.
 *
 * Each USPA run follows a run against a bare `node:http` server in the same process that answers
 * the same profiles' bytes and does nothing else: the latency this machine and the load
 * generator allow at that moment, which USPA's figures are read against.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { SqliteEventStore } from '../core/src/adapters/sqlite/sqlite-event-store.js';
import { PROJECTION_HOST } from '../core/src/composition/build-container.js';
import { startUspaServer, type UspaServer } from '../core/src/composition/uspa-server.js';
import { loadConfig } from '../core/src/config/load-config.js';
import {
  OPENSEARCH_URL,
  pingScaleOutReadSide,
  REDIS_URL,
  removeScaleOutReadModels,
} from '../core/src/testing/test-read-sides.js';
import type { ProjectionControl } from '../projections/src/index.js';
import { writeGeneratedLog } from './replay/generated-log.js';
import { runLoadInChild } from './load-child.js';
import { startBareServer } from './profiles/bare-server.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    events: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    thread: { type: 'string', default: 'false' },
    people: { type: 'string', default: '5000' },
    load: { type: 'string' },
    // Internal: write the generated log to this file and exit (see main).
    'write-log': { type: 'string' },
  },
});
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const WARMUP_S = Number(values.warmup);
const PEOPLE = Number(values.people);
const RUNS = Number(values.runs);
const ADMIN_KEY = 'uspa_sk_bench_admin_key_0123456789';

interface LoadResult {
  sent: number;
  ok: number;
  failures: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Sends at a fixed rate for `seconds`, whether or not earlier requests answered (open loop:
 * latency counts from when a request was due, so a stall is not hidden); answers how many were
 * sent once all have answered.
 */
async function openLoop(seconds: number, get: (due: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  const interval = 1000 / RATE;
  let sent = 0;
  let outstanding = 0;
  let drained: (() => void) | undefined;
  // Wake up every millisecond and send what is due: a busy loop would take a core from the server.
  for (let due = started; due < started + seconds * 1000; due += interval) {
    if (performance.now() < due) await new Promise((resolve) => setTimeout(resolve, 1));
    outstanding++;
    sent++;
    void get(due).finally(() => {
      if (--outstanding === 0) drained?.();
    });
  }
  if (outstanding > 0) await new Promise<void>((resolve) => (drained = resolve));
  return sent;
}

/** `GET /v1/profiles/user_id:customer-<person>` with the bench's key: status and body. */
async function lookUp(pool: Pool, person: number): Promise<{ statusCode: number; text: string }> {
  const { statusCode, body } = await pool.request({
    path: `/v1/profiles/user_id:customer-${person}`,
    method: 'GET',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return { statusCode, text: await body.text() };
}

/** Open-loop load after an open-loop warm-up, from its own process. */
async function generateLoad(base: string): Promise<LoadResult> {
  const pool = new Pool(base, { connections: Number(values.connections), pipelining: 1 });
  const latencies: number[] = [];
  let failures = 0;
  const get = async (due: number): Promise<void> => {
    try {
      const { statusCode } = await lookUp(pool, Math.floor(Math.random() * PEOPLE));
      if (statusCode === 200) latencies.push(performance.now() - due);
      else failures++;
    } catch {
      failures++;
    }
  };
  // Warm up at the same rate first: a cold server (code not yet optimised by the JIT) builds a
  // backlog in its first seconds that says nothing about how it serves once running.
  await openLoop(WARMUP_S, get);
  latencies.length = 0;
  failures = 0;
  const started = performance.now();
  const sent = await openLoop(DURATION_S, get);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return {
    sent,
    ok: latencies.length,
    failures,
    seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? 0,
  };
}

function loadInChild(base: string): Promise<LoadResult> {
  return runLoadInChild<LoadResult>(fileURLToPath(import.meta.url), [
    '--load',
    base,
    '--rate',
    String(RATE),
    '--duration',
    String(DURATION_S),
    '--warmup',
    String(WARMUP_S),
    '--people',
    String(PEOPLE),
    '--connections',
    String(values.connections),
  ]);
}

/** Where a Redis-backed run keeps its read models: removed again after the run. */
interface ScaleOutPrefixes {
  indexPrefix: string;
  keyPrefix: string;
}

async function serve(
  dataDir: string,
  readModels: 'embedded' | 'opensearch-redis',
  { indexPrefix, keyPrefix }: ScaleOutPrefixes,
): Promise<UspaServer> {
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      readModels: {
        adapter: readModels,
        opensearch: { url: OPENSEARCH_URL, indexPrefix },
        redis: { url: REDIS_URL, keyPrefix },
      },
    }),
  );
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: dataDir,
    USPA_LOG_LEVEL: 'warn',
    USPA_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    USPA_CONFIG_FILE: configFile,
    USPA_PROJECTION_THREAD: values.thread,
  });
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  return startUspaServer(config, { logDestination: silent });
}

/** Waits until this process (the server) has been nearly idle for a second: nothing left to catch up. */
async function untilIdle(): Promise<void> {
  for (let quiet = 0; quiet < 2;) {
    const before = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, 500));
    quiet = performance.eventLoopUtilization(before).utilization < 0.05 ? quiet + 1 : 0;
  }
}

/** A load's result, with the server process's CPU time (µs) per request it answered. */
type RunResult = LoadResult & { cpuMicros: number };

/** One open-loop load against `base`, with this process's CPU time per request it answered. */
async function loadOnce(base: string): Promise<RunResult> {
  const cpu = process.cpuUsage();
  const result = await loadInChild(base);
  const { user, system } = process.cpuUsage(cpu);
  // The warm-up's requests are served too, and their CPU counted.
  return { ...result, cpuMicros: (user + system) / (result.ok + RATE * WARMUP_S) };
}

/** Bodies of the first people's profiles, as the server answers them. */
async function sampleBodies(base: string): Promise<string[]> {
  const pool = new Pool(base, { connections: 4 });
  try {
    const people = Array.from({ length: Math.min(PEOPLE, 100) }, (_, person) => person);
    return await Promise.all(
      people.map(async (person) => {
        const { statusCode, text } = await lookUp(pool, person);
        if (statusCode !== 200) throw new Error(`customer-${person}: ${statusCode} ${text}`);
        return text;
      }),
    );
  } finally {
    await pool.close();
  }
}

/** Row cells of several runs: medians, and each run's p99. */
function cellsOf(results: readonly RunResult[]): Row {
  const at = (pick: (result: RunResult) => number): number => median(results.map(pick));
  return {
    'answered req/s': Math.round(at((result) => result.ok / result.seconds)),
    failures: results.reduce((sum, result) => sum + result.failures, 0),
    'p50 ms': Number(at((result) => result.p50).toFixed(2)),
    'p99 ms': Number(at((result) => result.p99).toFixed(2)),
    'p99 ms of each run': results.map((result) => result.p99.toFixed(1)).join(', '),
    'max ms': Number(Math.max(...results.map((result) => result.max)).toFixed(1)),
    'server CPU µs/request': Number(at((result) => result.cpuMicros).toFixed(0)),
  };
}

/**
 * Builds the profiles on one read side, then loads USPA and a bare server answering the same
 * bytes in turns, `RUNS` times each, so both meet the machine in the same state.
 */
async function measure(
  label: string,
  dataDir: string,
  readModels: 'embedded' | 'opensearch-redis',
): Promise<Row[]> {
  const run = Math.random().toString(36).slice(2, 8);
  const prefixes = { indexPrefix: `uspa-bench-${run}-`, keyPrefix: `uspa-bench-${run}:` };
  const server = await serve(dataDir, readModels, prefixes);
  try {
    const host = server.container.resolve<ProjectionControl>(PROJECTION_HOST);
    const started = performance.now();
    const status = async (): Promise<boolean> => {
      const [profiles] = await host.statuses();
      return profiles?.serving?.lagEvents === 0 && profiles.serving.settled;
    };
    while (!(await status())) await new Promise((resolve) => setTimeout(resolve, 200));
    console.log(
      `${label}: profiles built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const base = `http://127.0.0.1:${server.port}`;
    const bare = await startBareServer(await sampleBodies(base));
    await untilIdle();
    const bareResults = [];
    const uspaResults = [];
    // The server's own event-loop stalls, to tell them from the load generator's.
    const loopDelays = [];
    try {
      for (let round = 0; round < RUNS; round++) {
        bareResults.push(await loadOnce(bare.base));
        const loop = monitorEventLoopDelay({ resolution: 1 });
        loop.enable();
        uspaResults.push(await loadOnce(base));
        loop.disable();
        loopDelays.push({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
      }
    } finally {
      await bare.close();
    }
    const uspa = cellsOf(uspaResults);
    const baseline = cellsOf(bareResults);
    return [
      { server: `bare node:http, same bytes (beside ${label})`, ...baseline },
      {
        server: `USPA, ${label}`,
        ...uspa,
        'p99 ÷ bare p99': `${(Number(uspa['p99 ms']) / Number(baseline['p99 ms'])).toFixed(1)}×`,
        'server loop delay p99 / max ms': `${median(loopDelays.map((delay) => delay.p99)).toFixed(1)} / ${Math.max(...loopDelays.map((delay) => delay.max)).toFixed(1)}`,
      },
    ];
  } finally {
    await server.stop();
    // A run leaves nothing behind: its 20,000 keys and its index would otherwise stay for ever.
    if (readModels === 'opensearch-redis') await removeScaleOutReadModels(prefixes);
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'uspa-bench-profiles-'));
  // The log is written by another process: the garbage of generating it would otherwise be
  // collected by the server under test, in the middle of the measurement.
  await runLoadInChild<{ events: number }>(fileURLToPath(import.meta.url), [
    '--write-log',
    join(work, 'events.db'),
    '--events',
    String(values.events),
    '--people',
    String(PEOPLE),
  ]);
  const rows = await measure('embedded (SQLite)', work, 'embedded');
  // Probed first: a server on an unreachable read side retries its projections for ever, and
  // the wait for its profiles would never end.
  const problem = await pingScaleOutReadSide().then(
    () => undefined,
    (error: unknown) => String(error),
  );
  if (problem === undefined) {
    rows.push(...(await measure('Redis-backed (OpenSearch + Redis)', work, 'opensearch-redis')));
  } else {
    console.log(`OpenSearch + Redis not reachable, Redis-backed run skipped: ${problem}`);
  }
  printTable(
    `GET /v1/profiles/:identifier at ${RATE.toLocaleString('en-US')} req/s, open loop for ${DURATION_S} s after ${WARMUP_S} s of warm-up; medians of ${RUNS} runs`,
    rows,
  );
  rmSync(work, { recursive: true, force: true });
}

async function writeLog(file: string): Promise<{ events: number }> {
  const log = new SqliteEventStore({ file, synchronous: 'NORMAL', pollIntervalMs: 100 });
  await writeGeneratedLog(log, { events: Number(values.events), profiles: PEOPLE });
  await log.close();
  return { events: Number(values.events) };
}

if (values.load) process.stdout.write(JSON.stringify(await generateLoad(values.load)));
else if (values['write-log'])
  process.stdout.write(JSON.stringify(await writeLog(values['write-log'])));
else await main();
