/**
 * The HTTP side of the realtime benchmark, in a process of its own (run by runLoadInChild): an
 * open-loop load of `Product Viewed` batches on `/v1/batch` at a fixed event rate, requests due
 * on a schedule whether or not earlier ones answered. After a warm-up, one `Plan Viewed` per
 * connected visitor rides in those batches at a steady rate; each is a trigger whose send and
 * acceptance times (shared clock) it reports.
 *
 * `event-load.ts <base url> --rate 5000 --seconds 20 --warmup 2 --batch 25 --triggers 50
 *   --clients 1000 --people 10000 --connections 16`
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { browserContext, productPage, viewedProduct } from '../product-viewed.js';
import { PAGE_URL, WRITE_KEY, sharedNow, visitorId } from './realtime-setup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    batch: { type: 'string', default: '25' },
    triggers: { type: 'string', default: '50' },
    clients: { type: 'string', default: '1000' },
    people: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '16' },
  },
});
const RATE = Number(values.rate);
const BATCH = Number(values.batch);
const TRIGGER_RATE = Number(values.triggers);
const CLIENTS = Number(values.clients);
const PEOPLE = Math.max(CLIENTS, Number(values.people));
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

export interface Trigger {
  visitor: string;
  /** When the request carrying it was handed to the connection pool (shared clock). */
  sentAt: number;
  /** When the 200 accepting it arrived, or null when the batch was refused or failed. */
  acceptedAt: number | null;
}

export interface EventLoadResult {
  offeredEvents: number;
  /** From the end of the warm-up to the last request sent, at least the scheduled period. */
  offeredSeconds: number;
  acceptedEvents: number;
  /** Accepted during the warm-up, apart from `acceptedEvents`. */
  warmupEvents: number;
  /** From the end of the warm-up to the last 200 of a measured batch, at least the period. */
  acceptedSeconds: number;
  failedRequests: number;
  ackP50: number;
  ackP99: number;
  /** CPU this process used, as a share of one core over its run: it shares the machine. */
  cpuShare: number;
  triggers: Trigger[];
}

const runId = randomUUID().slice(0, 8);
let sequence = 0;
let viewer = 0;

function productViewed(visitor: string, timestamp: string): Record<string, unknown> {
  return {
    type: 'track',
    messageId: `${runId}-${sequence++}`,
    anonymousId: visitor,
    event: 'Product Viewed',
    timestamp,
    properties: { product_id: `SKU-${sequence % 500}`, ...viewedProduct },
    context: {
      ...browserContext,
      page: { ...productPage, url: `https://shop.example.com${productPage.path}` },
    },
  };
}

function planViewed(visitor: string, timestamp: string): Record<string, unknown> {
  return {
    type: 'track',
    messageId: `${runId}-${sequence++}`,
    anonymousId: visitor,
    event: 'Plan Viewed',
    timestamp,
    properties: { plan: 'pro', price: 29, currency: 'EUR' },
    context: { ...browserContext, page: { path: '/pricing', url: PAGE_URL, title: 'Pricing' } },
  };
}

/**
 * Request `k` of the measured period (negative: warm-up): the triggers due by then first, then
 * ordinary events, each from the next of the visitors in turn, connected or not.
 */
function aBatch(
  k: number,
  triggers: Trigger[],
): { events: Record<string, unknown>[]; carried: Trigger[] } {
  const timestamp = new Date().toISOString();
  const events: Record<string, unknown>[] = [];
  const carried: Trigger[] = [];
  const due = Math.min(CLIENTS, Math.floor((k * BATCH * TRIGGER_RATE) / RATE) + 1);
  while (triggers.length < due) {
    const trigger: Trigger = { visitor: visitorId(triggers.length), sentAt: 0, acceptedAt: null };
    triggers.push(trigger);
    carried.push(trigger);
    events.push(planViewed(trigger.visitor, timestamp));
  }
  while (events.length < BATCH) {
    events.push(productViewed(visitorId(viewer++ % PEOPLE), timestamp));
  }
  return { events, carried };
}

/** What the measured period's requests came to. */
interface Tally {
  acks: number[];
  acceptedEvents: number;
  warmupEvents: number;
  /** performance.now() of the last measured 200. */
  lastAccepted: number;
  failedRequests: number;
}

async function postBatch(
  pool: Pool,
  { events, carried }: ReturnType<typeof aBatch>,
  tally: Tally,
  measured: boolean,
): Promise<void> {
  const body = JSON.stringify({ batch: events, sentAt: new Date().toISOString() });
  const sentAt = sharedNow();
  for (const trigger of carried) trigger.sentAt = sentAt;
  try {
    const { statusCode, body: response } = await pool.request({
      path: '/v1/batch',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTH },
      body,
    });
    await response.text();
    const acceptedAt = sharedNow();
    if (statusCode !== 200) throw new Error(`status ${statusCode}`);
    for (const trigger of carried) trigger.acceptedAt = acceptedAt;
    if (!measured) {
      tally.warmupEvents += events.length;
      return;
    }
    tally.acks.push(acceptedAt - sentAt);
    tally.acceptedEvents += events.length;
    tally.lastAccepted = performance.now();
  } catch {
    if (measured) tally.failedRequests++;
  }
}

async function generateLoad(base: string): Promise<EventLoadResult> {
  const pool = new Pool(base, { connections: Number(values.connections), pipelining: 1 });
  const triggers: Trigger[] = [];
  const tally: Tally = {
    acks: [],
    acceptedEvents: 0,
    warmupEvents: 0,
    lastAccepted: 0,
    failedRequests: 0,
  };
  const interval = (1000 * BATCH) / RATE;
  const warmupRequests = Math.round((Number(values.warmup) * 1000) / interval);
  const measuredRequests = Math.round((Number(values.seconds) * 1000) / interval);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const measuredFrom = started + warmupRequests * interval;
  const inFlight = new Set<Promise<void>>();
  for (let k = -warmupRequests; k < measuredRequests; k++) {
    // Wake up every millisecond and send what is due: a busy loop would take a core from the server.
    while (performance.now() < measuredFrom + k * interval) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const request = postBatch(pool, aBatch(k, triggers), tally, k >= 0);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  // Rates are per the scheduled period, or longer when sending or accepting fell behind.
  const scheduled = measuredRequests * interval;
  const offeredSeconds = Math.max(performance.now() - measuredFrom, scheduled) / 1000;
  await Promise.all(inFlight);
  await pool.close();
  const cpu = process.cpuUsage(cpuBefore);
  const acks = tally.acks.sort((a, b) => a - b);
  const at = (q: number): number =>
    acks[Math.min(acks.length - 1, Math.floor(acks.length * q))] ?? 0;
  return {
    offeredEvents: measuredRequests * BATCH,
    offeredSeconds,
    acceptedEvents: tally.acceptedEvents,
    warmupEvents: tally.warmupEvents,
    acceptedSeconds: Math.max(tally.lastAccepted - measuredFrom, scheduled) / 1000,
    failedRequests: tally.failedRequests,
    ackP50: at(0.5),
    ackP99: at(0.99),
    cpuShare: (cpu.user + cpu.system) / 1000 / (performance.now() - started),
    triggers,
  };
}

process.stdout.write(JSON.stringify(await generateLoad(positionals[0] ?? '')));
