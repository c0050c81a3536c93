/**
 * Realtime latency benchmark: `npm run bench:realtime [-- --clients 1000 --rate 5000 --seconds 20
 * --runs 3]` (also `--batch 25` events per request, `--triggers 50` per second, `--warmup 2` s,
 * `--people 10000` visitors sending events, `--connections 16` HTTP connections, `--thread true`
 * to run the projections on a thread of their own instead of the server's event loop).
 *
 * How long after USPA accepts an event does the browser hear that it changed the visitor's
 * segments? Three processes share the machine:
 * - this one runs the USPA server (embedded store and read side, projections in process, the
 *   realtime gateway on the same HTTP server), as `uspa serve` runs it, on a fresh data dir;
 * - bench/realtime/visitor-process.ts holds `--clients` socket.io-client connections, one visitor
 *   each, all with their first snapshot before the load starts;
 * - bench/realtime/event-load.ts offers `--rate` events/s over HTTP, open loop, in batches of
 *   `--batch`; after a warm-up, `Plan Viewed` triggers for connected visitors ride in them at
 *   `--triggers`/s, each moving its visitor into a segment whose members get another hero.
 *
 * Latency of a trigger = its `changed` arriving at the visitor − the 200 accepting its batch
 * arriving at the load process (and − the request being sent), on a clock the processes share.
 * Goal: p99 ≤ 25 ms. A trigger whose push does not arrive within 5 s counts as missed (∞).
 *
 * The server table also gives the server's CPU time per accepted event, of its main thread and
 * of all its threads: latency follows how busy the event loop is, and CPU time per event tells
 * from one run (or one machine) to the next whether the work or the machine changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECTION_HOST } from '../core/src/composition/build-container.js';
import { startUspaServer, type UspaServer } from '../core/src/composition/uspa-server.js';
import { loadConfig } from '../core/src/config/load-config.js';
import type { ProjectionControl } from '../projections/src/index.js';
import { runLoadInChild } from './load-child.js';
import { mainThreadCpu } from './thread-cpu.js';
import type { EventLoadResult, Trigger } from './realtime/event-load.js';
import { watchBatches, type ProjectionBatches } from './realtime/projection-batches.js';
import {
  ADMIN_KEY,
  HERO_SLOT,
  PLAN_VIEWERS_SEGMENT,
  WRITE_KEY,
} from './realtime/realtime-setup.js';
import { connectVisitors, type VisitorReport } from './realtime/visitors.js';
import { median, percentile, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    batch: { type: 'string', default: '25' },
    triggers: { type: 'string', default: '50' },
    people: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '16' },
    dir: { type: 'string', default: tmpdir() },
    thread: { type: 'string', default: 'false' },
  },
});
const CLIENTS = Number(values.clients);
const RUNS = Number(values.runs);
const MISSED_AFTER_MS = 5000;
const EVENT_LOAD = fileURLToPath(new URL('./realtime/event-load.ts', import.meta.url));

interface RunResult {
  /** Per accepted trigger, push received − batch accepted (ms); Infinity when missed. */
  fromAccepted: number[];
  /** The same, from the request carrying the trigger being sent. */
  fromSent: number[];
  triggers: number;
  rejected: number;
  missed: number;
  visitors: VisitorReport;
  load: EventLoadResult;
  batches: ProjectionBatches;
  /** The server's event loop from the load's start (warm-up included) until the pushes are in. */
  loop: { p99: number; max: number; busy: number };
  /**
   * The server's CPU time over the same span (µs), of its main thread and of all its threads: per
   * accepted event, steadier from run to run than latency on a shared machine.
   */
  cpu: { main: number | undefined; all: number };
}

async function serve(dataDir: string): Promise<UspaServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: dataDir,
    USPA_LOG_LEVEL: 'warn',
    USPA_BOOTSTRAP_WRITE_KEY: WRITE_KEY,
    USPA_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    USPA_DEMO: 'false',
    USPA_PROJECTION_THREAD: values.thread,
  });
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  return startUspaServer(config, { logDestination: silent });
}

/** The bench segment and the hero its members get, through the admin API as an operator would. */
async function defineAudience(base: string): Promise<void> {
  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await post('/v1/segments', {
    id: PLAN_VIEWERS_SEGMENT,
    name: 'Viewed a plan',
    condition: { event: { type: 'Tracked', name: 'Plan Viewed', within: { lastDays: 30 } } },
  });
  await post('/v1/content-rules', {
    name: 'Plan viewers get the trial offer',
    slot: HERO_SLOT,
    segmentId: PLAN_VIEWERS_SEGMENT,
    content: { title: 'Try Pro free for 30 days', body: 'Everything in it, no card needed.' },
    priority: 10,
  });
}

/** Until the profile projection has read the segment's definition and has nothing left to do. */
async function projectionsIdle(host: ProjectionControl): Promise<void> {
  for (;;) {
    const statuses = await host.statuses();
    const idle = statuses.every((status) => status.serving?.lagEvents === 0);
    if (idle && statuses.every((status) => status.serving?.settled === true)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(run: number, work: string): Promise<RunResult> {
  const server = await serve(join(work, `run-${run}`));
  const base = `http://127.0.0.1:${server.port}`;
  try {
    await defineAudience(base);
    const host = server.container.resolve<ProjectionControl>(PROJECTION_HOST);
    await projectionsIdle(host);
    const visitors = await connectVisitors(base, CLIENTS);
    console.log(
      `run ${run}: ${visitors.connected} visitors connected in ${visitors.seconds.toFixed(1)} s` +
        (visitors.failed > 0 ? `, ${visitors.failed} failed` : ''),
    );
    try {
      // The server's own event-loop stalls, to tell them from the load generators'.
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const busyBefore = performance.eventLoopUtilization();
      const mainBefore = mainThreadCpu();
      const allBefore = process.cpuUsage();
      const batches = await watchBatches(host, 'profiles');
      const load = await runLoadInChild<EventLoadResult>(EVENT_LOAD, loadArguments(base));
      const accepted = load.triggers.filter((trigger) => trigger.acceptedAt !== null);
      const lastAccepted = Math.max(0, ...accepted.map((trigger) => trigger.acceptedAt ?? 0));
      const report = await visitors.collect(
        accepted.map((trigger) => trigger.visitor),
        lastAccepted + MISSED_AFTER_MS,
      );
      delay.disable();
      const all = process.cpuUsage(allBefore);
      const mainAfter = mainThreadCpu();
      return {
        ...latencies(accepted, report),
        triggers: load.triggers.length,
        rejected: load.triggers.length - accepted.length,
        visitors: report,
        load,
        batches: await batches.stop(),
        loop: {
          p99: delay.percentile(99) / 1e6,
          max: delay.max / 1e6,
          busy: performance.eventLoopUtilization(busyBefore).utilization,
        },
        cpu: {
          main:
            mainBefore === undefined || mainAfter === undefined
              ? undefined
              : mainAfter - mainBefore,
          all: all.user + all.system,
        },
      };
    } finally {
      visitors.kill();
    }
  } finally {
    await server.stop();
  }
}

function latencies(
  accepted: Trigger[],
  report: VisitorReport,
): Pick<RunResult, 'fromAccepted' | 'fromSent' | 'missed'> {
  const result = { fromAccepted: [] as number[], fromSent: [] as number[], missed: 0 };
  for (const { visitor, sentAt, acceptedAt } of accepted) {
    const at = report.received[visitor] ?? Infinity;
    const fromAccepted = at - (acceptedAt ?? sentAt);
    if (fromAccepted > MISSED_AFTER_MS) result.missed++;
    result.fromAccepted.push(fromAccepted > MISSED_AFTER_MS ? Infinity : fromAccepted);
    result.fromSent.push(fromAccepted > MISSED_AFTER_MS ? Infinity : at - sentAt);
  }
  return result;
}

function loadArguments(base: string): string[] {
  const passed = [
    'rate',
    'seconds',
    'warmup',
    'batch',
    'triggers',
    'clients',
    'people',
    'connections',
  ] as const;
  return [base, ...passed.flatMap((name) => [`--${name}`, String(values[name])])];
}

const ms = (value: number): number => Number(value.toFixed(1));

function latencyRow(run: string, result: RunResult): Row {
  const accepted = [...result.fromAccepted].sort((a, b) => a - b);
  const sent = [...result.fromSent].sort((a, b) => a - b);
  return {
    run,
    triggers: result.triggers,
    pushed: accepted.length - result.missed,
    missed: result.missed,
    'p50 ms': ms(percentile(accepted, 0.5)),
    'p95 ms': ms(percentile(accepted, 0.95)),
    'p99 ms': ms(percentile(accepted, 0.99)),
    'max ms': ms(accepted[accepted.length - 1] ?? Number.NaN),
    'from sent p50 ms': ms(percentile(sent, 0.5)),
    'from sent p99 ms': ms(percentile(sent, 0.99)),
    'offered ev/s': Math.round(result.load.offeredEvents / result.load.offeredSeconds),
    'accepted ev/s': Math.round(result.load.acceptedEvents / result.load.acceptedSeconds),
  };
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** CPU time per event accepted (warm-up included, as the span the time was measured over). */
function perEvent(micros: number | undefined, load: EventLoadResult): string {
  const events = load.acceptedEvents + load.warmupEvents;
  return micros === undefined || events === 0 ? '–' : String(Math.round(micros / events));
}

function serverRow(run: string, result: RunResult): Row {
  const { load, batches } = result;
  return {
    run,
    'server loop busy': percent(result.loop.busy),
    'server CPU µs/event main / all threads': `${perEvent(result.cpu.main, load)} / ${perEvent(
      result.cpu.all,
      load,
    )}`,
    'loop delay p99 / max ms': `${ms(result.loop.p99)} / ${ms(result.loop.max)}`,
    'batch ack p50 / p99 ms': `${ms(load.ackP50)} / ${ms(load.ackP99)}`,
    'batches committed/s': Math.round(batches.commits / batches.seconds),
    'events per commit': Math.round(batches.meanEvents),
    // The generators share the two cores with the server: what they take, it cannot have.
    'load / visitors CPU': `${percent(load.cpuShare)} / ${percent(result.visitors.cpuShare)}`,
  };
}

/** Per run, then the median of each figure across runs. */
function withMedians(rows: Row[]): Row[] {
  if (rows.length < 2) return rows;
  const columns = Object.keys(rows[0] ?? {}).filter((column) => column !== 'run');
  const medians = columns.map((column) => [column, median(rows.map((row) => Number(row[column])))]);
  return [...rows, { run: 'median', ...(Object.fromEntries(medians) as Row) }];
}

function problemsOf(result: RunResult): string[] {
  return [
    result.rejected > 0 && `${result.rejected} triggers in refused or failed batches`,
    result.missed > 0 &&
      `${result.missed} triggers without a push within ${MISSED_AFTER_MS / 1000} s`,
    result.visitors.withoutHero > 0 &&
      `${result.visitors.withoutHero} pushes without the hero content`,
    result.visitors.otherChanges > 0 &&
      `${result.visitors.otherChanges} changes no trigger explains`,
    result.visitors.disconnects > 0 &&
      `${result.visitors.disconnects} visitors disconnected during the load`,
    result.load.failedRequests > 0 && `${result.load.failedRequests} batches not accepted`,
  ].filter((problem) => problem !== false);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(values.dir, 'uspa-bench-realtime-'));
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) results.push(await measure(run, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rate = Number(values.rate).toLocaleString('en-US');
  printTable(
    `Accepted → segment change received: ${CLIENTS.toLocaleString('en-US')} socket.io clients, ` +
      `${rate} events/s offered in batches of ${values.batch} for ${values.seconds} s, ` +
      `${values.triggers} triggers/s (goal p99 ≤ 25 ms; ∞: no push within 5 s)`,
    withMedians(results.map((result, i) => latencyRow(String(i + 1), result))),
  );
  printTable(
    'Server side during the load',
    results.map((result, i) => serverRow(String(i + 1), result)),
  );
  for (const [i, result] of results.entries()) {
    const problems = problemsOf(result);
    if (problems.length > 0) console.log(`run ${i + 1}: ${problems.join(', ')}`);
  }
}

await main();
