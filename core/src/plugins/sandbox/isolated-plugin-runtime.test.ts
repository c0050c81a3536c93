import { describe, expect, it } from 'vitest';
import { IsolatedPluginRuntime, readManifest } from './isolated-plugin-runtime.js';
import { isolatedPluginsPerTest } from './isolated-plugins.fixture.js';
import {
  aPluginEvent,
  aTrackingEvent,
  bundle,
  pluginRuntimeContract,
  TEST_LIMITS,
} from './plugin-runtime.contract.fixture.js';
import { RecordingBridge } from './recording-bridge.fixture.js';

pluginRuntimeContract('isolated', (code, options) => IsolatedPluginRuntime.load(code, options));

const HEADER = `name: 'probe', version: '1.0.0', host: '*'`;

const loadIsolated = isolatedPluginsPerTest();

async function load(definition: string, bridge = new RecordingBridge(), limits = TEST_LIMITS) {
  return { runtime: await loadIsolated(definition, { bridge, limits }), bridge };
}

/** Counts how often Node's own event loop got a turn while `work` ran. */
async function mainThreadTurns(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  const ticker = setInterval(() => (turns += 1), 10);
  await work.catch(() => undefined);
  clearInterval(ticker);
  return turns;
}

describe('IsolatedPluginRuntime', () => {
  it('stops an endless loop at the time limit, then serves the next call', async () => {
    const { runtime } = await load(`{ ${HEADER}, enrich(e) {
      if (e.messageId === 'spin') while (true) {}
      return { ...e, enrichment: { fine: true } };
    } }`);
    const spinning = runtime.enrich([aTrackingEvent({ messageId: 'spin' })]);
    await expect(spinning).rejects.toMatchObject({ kind: 'timeout', hook: 'enrich' });
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'ok', event: aTrackingEvent({ enrichment: { fine: true } }) },
    ]);
  });

  it('keeps Node responsive while a plugin spins', async () => {
    const { runtime } = await load(`{ ${HEADER}, enrich() { while (true) {} } }`);
    // About 30 turns in 300 ms when the main thread is free, fewer on a busy machine; none if
    // the loop ran on it.
    expect(await mainThreadTurns(runtime.enrich([aTrackingEvent()]))).toBeGreaterThan(5);
  });

  it('stops a loop that starts after an await, which isolated-vm alone would not', async () => {
    const { runtime } = await load(`{ ${HEADER}, async onEvent(event, ctx) {
      await ctx.store.get('x');
      while (true) {}
    } }`);
    await expect(runtime.onEvent(aPluginEvent(1))).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('faults a plugin that allocates without bound on memory; the host and next call carry on', async () => {
    const { runtime } = await load(
      `{ ${HEADER}, enrich(e) {
      if (e.messageId === 'hog') { const hoard = []; while (true) hoard.push(new Array(10000).fill(e)); }
      return e;
    } }`,
      // Time enough to reach the heap limit on a busy machine: this is about memory, not time.
      new RecordingBridge(),
      { ...TEST_LIMITS, timeoutMs: 10_000 },
    );
    await expect(runtime.enrich([aTrackingEvent({ messageId: 'hog' })])).rejects.toMatchObject({
      kind: 'memory',
      hook: 'enrich',
      message: `enrich ran past its memory limit of ${TEST_LIMITS.memoryMb} MB`,
    });
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'ok', event: aTrackingEvent() },
    ]);
  });

  it('runs setup again in the fresh isolate that replaces a faulted one', async () => {
    const { runtime } = await load(`{ ${HEADER},
      setup(ctx) { globalThis.loadedAt = (globalThis.loadedAt ?? 0) + 1; ctx.metrics.increment('setup'); },
      enrich(e) {
        if (e.messageId === 'spin') while (true) {}
        return { ...e, enrichment: { setups: globalThis.loadedAt } };
      } }`);
    await runtime.setup();
    await expect(runtime.enrich([aTrackingEvent({ messageId: 'spin' })])).rejects.toMatchObject({
      kind: 'timeout',
    });
    // A fresh isolate: module state starts over, and setup ran there once.
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'ok', event: aTrackingEvent({ enrichment: { setups: 1 } }) },
    ]);
  });

  it('shows the plugin no process, require, timers or host globals', async () => {
    (globalThis as { hostSecret?: string }).hostSecret = 'database password';
    const { runtime } = await load(`{ ${HEADER}, enrich(e) {
      const seen = ['process', 'require', 'module', 'setTimeout', 'setInterval', 'queueMicrotask',
        'fetch', 'Buffer', 'hostSecret', '__dirname'].filter((name) => typeof globalThis[name] !== 'undefined');
      let escaped;
      try { escaped = typeof this.constructor.constructor('return process')(); } catch (error) { escaped = error.message; }
      return { ...e, enrichment: { seen, escaped } };
    } }`);
    const [outcome] = await runtime.enrich([aTrackingEvent()]);
    delete (globalThis as { hostSecret?: string }).hostSecret;
    expect(outcome).toMatchObject({
      event: { enrichment: { seen: [], escaped: 'process is not defined' } },
    });
  });

  it('maps console to the plugin log', async () => {
    const { runtime, bridge } = await load(`{ ${HEADER}, enrich(e) {
      console.log('enriching', { id: e.messageId }); console.error('oops'); return e;
    } }`);
    await runtime.enrich([aTrackingEvent()]);
    expect(bridge.logs).toEqual([
      { level: 'info', message: 'enriching {"id":"m-1"}' },
      { level: 'error', message: 'oops' },
    ]);
  });

  it('serves concurrent calls one after another, each with its own outcome', async () => {
    const { runtime } = await load(`{ ${HEADER}, async enrich(e, ctx) {
      const n = await ctx.store.increment('calls');
      return { ...e, enrichment: { n } };
    } }`);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((messageId) => runtime.enrich([aTrackingEvent({ messageId })])),
    );
    expect(answers.map(([outcome]) => outcome)).toEqual([
      { kind: 'ok', event: aTrackingEvent({ messageId: 'a', enrichment: { n: 1 } }) },
      { kind: 'ok', event: aTrackingEvent({ messageId: 'b', enrichment: { n: 2 } }) },
      { kind: 'ok', event: aTrackingEvent({ messageId: 'c', enrichment: { n: 3 } }) },
    ]);
  });

  it('errs an event whose result JSON cannot carry, naming where, and keeps the rest', async () => {
    const { runtime } = await load(`{ ${HEADER}, enrich(e) {
      const add = (value) => ({ ...e, enrichment: { probe: { value } } });
      switch (e.messageId) {
        case 'date': return add(new Date(0));
        case 'bigint': return add(10n);
        case 'map': return add(new Map());
        case 'function': return add(() => 1);
        case 'cyclic': { const loop = { ...e }; loop.enrichment = { loop }; return loop; }
        default: return e;
      }
    } }`);
    const outcomes = await runtime.enrich(
      ['date', 'bigint', 'map', 'function', 'cyclic', 'fine'].map((messageId) =>
        aTrackingEvent({ messageId }),
      ),
    );
    const because = (what: string) => ({
      kind: 'error',
      message: `enrich returned ${what}; events are JSON (dates as ISO strings)`,
    });
    expect(outcomes).toEqual([
      because('a Date at enrichment.probe.value'),
      because('a bigint at enrichment.probe.value'),
      because('a Map at enrichment.probe.value'),
      because('a function at enrichment.probe.value'),
      because(
        `nesting deeper than 64 levels (a cycle?) at ${Array(4).fill('enrichment.loop').join('.')}…`,
      ),
      { kind: 'ok', event: aTrackingEvent({ messageId: 'fine' }) },
    ]);
  });

  it("checks answers again on the host's side, where a plugin cannot fool the check", async () => {
    // A getter answers the prelude's check with a number and the copy with a BigInt.
    const { runtime } = await load(`{ ${HEADER}, enrich(e) {
      let reads = 0;
      return { ...e, enrichment: { get sneaky() { reads += 1; return reads > 1 ? 10n : 1; } } };
    } }`);
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'error', message: 'enrich answered with a malformed outcome' },
    ]);
  });

  it('rejects a call in flight when disposed, and every call after', async () => {
    const { runtime } = await load(`{ ${HEADER}, enrich: () => new Promise(() => {}) }`);
    const hanging = runtime.enrich([aTrackingEvent()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    runtime.dispose();
    const disposed = { kind: 'error', message: 'the plugin runtime was disposed' };
    await expect(hanging).rejects.toMatchObject(disposed);
    await expect(runtime.onEvent(aPluginEvent(1))).rejects.toMatchObject(disposed);
  });

  it('fails the next call when the fresh isolate cannot be set up, and retries on the one after', async () => {
    const bridge = new RecordingBridge();
    const { runtime } = await load(
      `{ ${HEADER},
        async setup(ctx) {
          if ((await ctx.store.increment('setups')) === 2) throw new Error('license server down');
        },
        enrich(e) { if (e.messageId === 'spin') while (true) {} return e; } }`,
      bridge,
    );
    await runtime.setup();
    await expect(runtime.enrich([aTrackingEvent({ messageId: 'spin' })])).rejects.toMatchObject({
      kind: 'timeout',
    });
    await expect(runtime.enrich([aTrackingEvent()])).rejects.toMatchObject({
      kind: 'error',
      hook: 'setup',
      message: 'license server down',
    });
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'ok', event: aTrackingEvent() },
    ]);
    expect(bridge.store.get('setups')).toBe(3);
  });

  describe('loading', () => {
    const limits = TEST_LIMITS;
    const options = { config: {}, bridge: new RecordingBridge(), limits };

    it('reads a manifest in a throwaway isolate', async () => {
      const manifest = await readManifest(
        bundle(`{ ${HEADER}, author: 'Acme', configSchema: { type: 'object' },
          permissions: { network: ['api.crm.example'] }, onBatch() {} }`),
        limits,
      );
      expect(manifest).toEqual({
        name: 'probe',
        version: '1.0.0',
        host: '*',
        author: 'Acme',
        configSchema: { type: 'object' },
        permissions: { network: ['api.crm.example'], events: [] },
        hooks: ['onBatch'],
        projections: [],
      });
    });

    it.each([
      ['sets no definition', 'const nothing = 1;', 'error', 'did not set globalThis.__uspaPlugin'],
      ['throws at its top level', `throw new Error('missing env');`, 'error', 'missing env'],
      ['never finishes its top level', 'while (true) {}', 'timeout', 'time limit'],
      [
        'allocates without bound at its top level',
        'const hoard = []; while (true) hoard.push(new Array(1000000).fill(0));',
        'memory',
        'memory limit',
        // Time enough that only the memory limit stops it, on a slow or busy machine too.
        10_000,
      ],
      ['is not JavaScript', 'globalThis.__uspaPlugin = {', 'error', 'Unexpected end of input'],
    ] as const)(
      'fails to load a bundle that %s',
      async (_, code, kind, message, timeoutMs?: number) => {
        const limited = {
          ...options,
          limits: { ...limits, timeoutMs: timeoutMs ?? limits.timeoutMs },
        };
        await expect(IsolatedPluginRuntime.load(code, limited)).rejects.toMatchObject({
          kind,
          hook: 'load',
          message: expect.stringContaining(message) as unknown,
        });
      },
    );
  });
});
