/**
 * Plugin enrichment benchmark:
 * `NODE_OPTIONS='--no-node-snapshot --conditions=@uspa/source' npx tsx bench/plugin-enrich.bench.ts
 *  [-- --runs 7 --batches 100 --batch-size 100]`.
 *
 * The per-event cost of `enrich` when a batch of ~1 KB `Product Viewed` track calls goes through
 * 0, 1 and 4 plugins in a row, each in its own isolate (isolated-vm), and for comparison the same
 * plugin in process. Each plugin derives a few fields under `enrichment`, as a small real one
 * does, so the figures are dominated by crossing into the isolate and back (one call per batch,
 * the batch as one JSON string each way). One batch at a time: latency-bound, like one ingestion
 * worker. Prints medians over the runs.
 */
import { runInThisContext } from 'node:vm';
import { parseArgs } from 'node:util';
import type { PluginDefinition, TrackingEvent } from '@uspa/sdk';
import { InProcessPluginRuntime } from '../core/src/plugins/sandbox/in-process-plugin-runtime.js';
import { IsolatedPluginRuntime } from '../core/src/plugins/sandbox/isolated-plugin-runtime.js';
import type { PluginBridge, PluginRuntime } from '../core/src/plugins/sandbox/plugin-runtime.js';
import { browserContext, productPage, viewedProduct } from './product-viewed.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    batches: { type: 'string', default: '100' },
    'batch-size': { type: 'string', default: '100' },
    'in-flight': { type: 'string', default: '1' },
  },
});
const RUNS = Number(values.runs);
const BATCHES = Number(values.batches);
const BATCH_SIZE = Number(values['batch-size']);
const IN_FLIGHT = Number(values['in-flight']);
const LIMITS = { timeoutMs: 5_000, memoryMb: 64 };

/** A plugin of the size of a campaign/page classifier: a few derived fields, no I/O. */
const pluginSource = (name: string): string => `(() => {
  globalThis.__uspaPlugin = {
    name: '${name}', version: '1.0.0', host: '*',
    enrich(event) {
      const page = event.context.page ?? {};
      const price = Number(event.properties.price ?? 0);
      return {
        ...event,
        enrichment: {
          ...event.enrichment,
          ['${name}']: {
            depth: String(page.path ?? '').split('/').length - 1,
            fromSearch: /google|bing|duckduckgo/.test(page.referrer ?? ''),
            priceBand: price < 10 ? 'low' : price < 100 ? 'mid' : 'high',
          },
        },
      };
    },
  };
})();`;

const bridge: PluginBridge = {
  log: () => undefined,
  fetch: () => Promise.reject(new Error('no network in the benchmark')),
  storeGet: async () => undefined,
  storeSet: async () => undefined,
  storeDelete: async () => undefined,
  storeIncrement: async () => 0,
  metric: () => undefined,
};

function aBatch(batch: number): TrackingEvent[] {
  return Array.from({ length: BATCH_SIZE }, (_, i) => ({
    type: 'track',
    messageId: `m-${batch}-${i}-0f8fad5b-d9cb-469f-a165-70867728950e`,
    anonymousId: `anon-${i}-7c9e6679-7425-40de-944b-e07fc1f90ae7`,
    userId: `user-${i % 50}`,
    event: 'Product Viewed',
    timestamp: '2026-11-29T10:00:00.000Z',
    sentAt: '2026-11-29T10:00:00.050Z',
    receivedAt: '2026-11-29T10:00:00.120Z',
    properties: { product_id: 'SKU-4711', ...viewedProduct },
    context: {
      ...browserContext,
      page: { ...productPage, url: `https://shop.example${productPage.path}` },
    },
    traits: {},
    enrichment: {},
  }));
}

function inProcess(name: string): PluginRuntime {
  runInThisContext(pluginSource(name));
  const holder = globalThis as { __uspaPlugin?: PluginDefinition<never> };
  const definition = holder.__uspaPlugin as PluginDefinition<never>;
  delete holder.__uspaPlugin;
  return new InProcessPluginRuntime(definition, { config: {}, bridge, limits: LIMITS });
}

/**
 * Sends every batch through the chain of plugins, `IN_FLIGHT` batches at a time (as that many
 * ingestion workers would); answers seconds taken.
 */
async function pass(chain: readonly PluginRuntime[], batches: TrackingEvent[][]): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      let events = batches[next++] ?? [];
      for (const runtime of chain) {
        const outcomes = await runtime.enrich(events);
        events = outcomes.flatMap((outcome) => (outcome.kind === 'ok' ? [outcome.event] : []));
      }
      if (events.length !== BATCH_SIZE) throw new Error('the benchmark plugin lost events');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const setups: { label: string; open: () => Promise<PluginRuntime[]> }[] = [
  { label: 'no plugin', open: async () => [] },
  { label: '1 in process', open: async () => [inProcess('p0')] },
  {
    label: '1 isolated',
    open: async () => [
      await IsolatedPluginRuntime.load(pluginSource('p0'), { config: {}, bridge, limits: LIMITS }),
    ],
  },
  {
    label: '4 isolated',
    open: () =>
      Promise.all(
        [0, 1, 2, 3].map((i) =>
          IsolatedPluginRuntime.load(pluginSource(`p${i}`), { config: {}, bridge, limits: LIMITS }),
        ),
      ),
  },
];

const batches = Array.from({ length: BATCHES }, (_, batch) => aBatch(batch));
const eventBytes = Buffer.byteLength(JSON.stringify(batches[0]?.[0]));
const events = BATCHES * BATCH_SIZE;
const rows: Row[] = [];
for (const setup of setups) {
  const chain = await setup.open();
  await pass(chain, batches.slice(0, 20)); // warm up the JITs of both sides
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run += 1) seconds.push(await pass(chain, batches));
  chain.forEach((runtime) => runtime.dispose());
  const typical = median(seconds);
  const perEvent = (typical / events) * 1e6;
  rows.push({
    plugins: setup.label,
    'events/s': Math.round(events / typical),
    'µs/event': perEvent.toFixed(2),
    'µs/event/plugin': chain.length === 0 ? '' : (perEvent / chain.length).toFixed(2),
    'ms/batch': ((typical / BATCHES) * 1e3).toFixed(2),
  });
}
printTable(
  `enrich, ${events.toLocaleString('en-US')} events of ${eventBytes} B in batches of ${BATCH_SIZE}, ` +
    `${IN_FLIGHT} batch(es) in flight, median of ${RUNS} runs`,
  rows,
);
