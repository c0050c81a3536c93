import type { PluginEvent, TrackingEvent } from '@uspa/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { PluginCallError, type PluginRuntime, type RuntimeLimits } from './plugin-runtime.js';
import { RecordingBridge } from './recording-bridge.fixture.js';

export interface RuntimeUnderTest {
  config?: Record<string, unknown>;
  bridge?: RecordingBridge;
  limits?: RuntimeLimits;
}

/** Loads a bundle (a script setting `globalThis.__uspaPlugin`) into the runtime under test. */
export type LoadRuntime = (
  bundle: string,
  options: { config: Record<string, unknown>; bridge: RecordingBridge; limits: RuntimeLimits },
) => Promise<PluginRuntime>;

export const TEST_LIMITS: RuntimeLimits = { timeoutMs: 300, memoryMb: 32 };

/** A plugin bundle as esbuild would emit it: a script that sets the definition on the global. */
export function bundle(definition: string): string {
  return `(() => { globalThis.__uspaPlugin = ${definition}; })();`;
}

export function aTrackingEvent(overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  return {
    type: 'track',
    messageId: 'm-1',
    anonymousId: 'a-1',
    event: 'Product Viewed',
    timestamp: '2026-11-29T10:00:00.000Z',
    receivedAt: '2026-11-29T10:00:00.120Z',
    context: { ip: '81.2.69.160' },
    properties: { price: 4.95 },
    traits: {},
    enrichment: {},
    ...overrides,
  };
}

export function aPluginEvent(position: number, type = 'Tracked'): PluginEvent {
  return {
    id: `e-${position}`,
    type,
    streamId: 'profile-1',
    position,
    recordedAt: '2026-11-29T10:00:00.000Z',
    data: { event: 'Order Completed' },
    metadata: {},
  };
}

const HEADER = `name: 'probe', version: '1.0.0', host: '>=0.1.0'`;

/**
 * The behaviour both plugin runtimes share, isolated or in process. Each case writes its plugin
 * as bundle text, so the very same plugin runs in both.
 *
 * @example
 * pluginRuntimeContract('isolated', (code, options) => IsolatedPluginRuntime.load(code, options));
 */
export function pluginRuntimeContract(name: string, load: LoadRuntime): void {
  describe(`PluginRuntime contract: ${name}`, () => {
    const loaded: PluginRuntime[] = [];
    afterEach(() => loaded.splice(0).forEach((runtime) => runtime.dispose()));

    async function start(definition: string, setup: RuntimeUnderTest = {}) {
      const bridge = setup.bridge ?? new RecordingBridge();
      const runtime = await load(bundle(definition), {
        config: setup.config ?? {},
        bridge,
        limits: setup.limits ?? TEST_LIMITS,
      });
      loaded.push(runtime);
      return { runtime, bridge };
    }

    it('reads the manifest from the definition, permissions defaulting to none', async () => {
      const { runtime } = await start(`{ ${HEADER}, description: 'Probe', enrich: (e) => e,
        onEvent() {}, projections: [{ name: 'orders', handles: ['Tracked'], handle() {} }] }`);
      expect(runtime.manifest).toEqual({
        name: 'probe',
        version: '1.0.0',
        host: '>=0.1.0',
        description: 'Probe',
        permissions: { network: [], events: [] },
        hooks: ['enrich', 'onEvent'],
        projections: [{ name: 'orders', handles: ['Tracked'] }],
      });
    });

    it('refuses a definition without a version, saying so', async () => {
      const failure = start(`{ name: 'probe', host: '*' }`);
      await expect(failure).rejects.toBeInstanceOf(PluginCallError);
      await expect(failure).rejects.toMatchObject({
        kind: 'error',
        hook: 'load',
        message: expect.stringContaining('version must be a non-empty string') as unknown,
      });
    });

    it('enriches a batch under `enrichment`, in order, keeping every other field', async () => {
      const { runtime } = await start(`{ ${HEADER},
        enrich: (e) => ({ ...e, enrichment: { ...e.enrichment, probe: { id: e.messageId } } }) }`);
      const events = ['m-1', 'm-2', 'm-3'].map((messageId) => aTrackingEvent({ messageId }));
      const outcomes = await runtime.enrich(events);
      expect(outcomes).toEqual(
        events.map((event) => ({
          kind: 'ok',
          event: { ...event, enrichment: { probe: { id: event.messageId } } },
        })),
      );
    });

    it('drops an event with the reason, and errs one that throws or is no object, only', async () => {
      const { runtime } = await start(`{ ${HEADER}, enrich(e) {
        if (e.messageId === 'bot') return { drop: 'bot traffic' };
        if (e.messageId === 'bad') throw new Error('no price');
        if (e.messageId === 'none') return undefined;
        return e;
      } }`);
      const outcomes = await runtime.enrich(
        ['bot', 'bad', 'fine', 'none'].map((messageId) => aTrackingEvent({ messageId })),
      );
      expect(outcomes).toEqual([
        { kind: 'drop', reason: 'bot traffic' },
        { kind: 'error', message: 'no price' },
        { kind: 'ok', event: aTrackingEvent({ messageId: 'fine' }) },
        { kind: 'error', message: 'enrich returned undefined, not an event' },
      ]);
    });

    it('awaits an async enrich that reads the store, and keeps a rejection to its event', async () => {
      const bridge = new RecordingBridge();
      bridge.store.set('segment:a-1', 'vip');
      const { runtime } = await start(
        `{ ${HEADER}, async enrich(e, ctx) {
          const segment = await ctx.store.get('segment:' + e.anonymousId);
          if (segment === undefined) throw new Error('unknown visitor ' + e.anonymousId);
          return { ...e, enrichment: { segment } };
        } }`,
        { bridge },
      );
      const outcomes = await runtime.enrich([
        aTrackingEvent({ anonymousId: 'a-1' }),
        aTrackingEvent({ anonymousId: 'a-2' }),
      ]);
      expect(outcomes).toEqual([
        {
          kind: 'ok',
          event: aTrackingEvent({ anonymousId: 'a-1', enrichment: { segment: 'vip' } }),
        },
        { kind: 'error', message: 'unknown visitor a-2' },
      ]);
    });

    it('fetches through the bridge, and a refused host rejects inside the plugin', async () => {
      const bridge = new RecordingBridge({ allowedHosts: ['api.crm.example'] }).respond(
        'https://api.crm.example/v1/me',
        { status: 200, headers: { 'content-type': 'application/json' }, body: '{"tier":"gold"}' },
      );
      const { runtime } = await start(
        `{ ${HEADER}, async enrich(e, ctx) {
          const response = await ctx.fetch('https://api.crm.example/v1/me', {
            method: 'POST', headers: { 'x-key': 'k' }, body: '{}' });
          let refused;
          try { await ctx.fetch('https://elsewhere.example/'); } catch (error) { refused = error.message; }
          return { ...e, enrichment: { ok: response.ok, status: response.status,
            type: response.headers['content-type'], crm: await response.json(), refused } };
        } }`,
        { bridge },
      );
      const [outcome] = await runtime.enrich([aTrackingEvent()]);
      expect(outcome).toEqual({
        kind: 'ok',
        event: aTrackingEvent({
          enrichment: {
            ok: true,
            status: 200,
            type: 'application/json',
            crm: { tier: 'gold' },
            refused: 'fetch to elsewhere.example refused: not in permissions.network',
          },
        }),
      });
      expect(bridge.fetches).toEqual([
        {
          url: 'https://api.crm.example/v1/me',
          init: { method: 'POST', headers: { 'x-key': 'k' }, body: '{}' },
        },
        { url: 'https://elsewhere.example/' },
      ]);
    });

    it('logs, counts and stores through the bridge', async () => {
      const { runtime, bridge } = await start(`{ ${HEADER}, async onEvent(event, ctx) {
        ctx.log.info('order seen', { position: event.position });
        ctx.log.warn('plain');
        ctx.metrics.increment('orders');
        ctx.metrics.increment('revenue', 30);
        await ctx.store.set('last', { position: event.position });
        await ctx.store.increment('count');
        await ctx.store.increment('count', 4);
        await ctx.store.set('gone', 1);
        await ctx.store.delete('gone');
      } }`);
      await runtime.onEvent(aPluginEvent(7));
      expect(bridge.logs).toEqual([
        { level: 'info', message: 'order seen', fields: { position: 7 } },
        { level: 'warn', message: 'plain' },
      ]);
      expect(bridge.metrics).toEqual([
        { name: 'orders', by: 1 },
        { name: 'revenue', by: 30 },
      ]);
      expect(Object.fromEntries(bridge.store)).toEqual({ last: { position: 7 }, count: 5 });
    });

    it("hands the plugin a frozen copy of its config, never the host's object", async () => {
      const config = { label: 'shop', nested: { level: 1 } };
      const { runtime } = await start(
        `{ ${HEADER}, enrich(e, ctx) {
          try { ctx.config.label = 'changed'; } catch {}
          try { ctx.config.nested.level = 2; } catch {}
          return { ...e, enrichment: { label: ctx.config.label, level: ctx.config.nested.level } };
        } }`,
        { config },
      );
      const [outcome] = await runtime.enrich([aTrackingEvent()]);
      expect(outcome).toMatchObject({ event: { enrichment: { label: 'shop', level: 1 } } });
      expect(config).toEqual({ label: 'shop', nested: { level: 1 } });
    });

    it('calls setup, onEvent, onBatch, a projection and teardown with their events', async () => {
      const { runtime, bridge } = await start(`{ ${HEADER},
        setup(ctx) { ctx.metrics.increment('setup'); },
        onEvent(event, ctx) { ctx.metrics.increment('onEvent:' + event.position); },
        onBatch(events, ctx) { ctx.metrics.increment('onBatch', events.length); },
        projections: [{ name: 'orders', handles: ['Tracked'],
          handle(events, ctx) { ctx.metrics.increment('orders:' + events.map((e) => e.id).join()); } }],
        teardown(ctx) { ctx.metrics.increment('teardown'); } }`);
      await runtime.setup();
      await runtime.onEvent(aPluginEvent(1));
      await runtime.onBatch([aPluginEvent(2), aPluginEvent(3)]);
      await runtime.project('orders', [aPluginEvent(4), aPluginEvent(5)]);
      await runtime.teardown();
      expect(bridge.metrics).toEqual([
        { name: 'setup', by: 1 },
        { name: 'onEvent:1', by: 1 },
        { name: 'onBatch', by: 2 },
        { name: 'orders:e-4,e-5', by: 1 },
        { name: 'teardown', by: 1 },
      ]);
    });

    it('rejects with the hook and message when a hook throws or rejects', async () => {
      const { runtime } = await start(`{ ${HEADER},
        onEvent() { throw new Error('CRM answered 500'); },
        async onBatch() { throw new Error('bulk API down'); } }`);
      await expect(runtime.onEvent(aPluginEvent(1))).rejects.toMatchObject({
        name: 'PluginCallError',
        kind: 'error',
        hook: 'onEvent',
        message: 'CRM answered 500',
      });
      await expect(runtime.onBatch([aPluginEvent(1)])).rejects.toMatchObject({
        kind: 'error',
        hook: 'onBatch',
        message: 'bulk API down',
      });
      await expect(runtime.project('missing', [])).rejects.toMatchObject({
        kind: 'error',
        hook: 'projection',
        message: 'no projection named missing',
      });
    });

    it('passes events through unchanged and resolves the other calls without hooks', async () => {
      const { runtime } = await start(`{ ${HEADER} }`);
      const event = aTrackingEvent();
      expect(await runtime.enrich([event])).toEqual([{ kind: 'ok', event }]);
      await runtime.setup();
      await runtime.onEvent(aPluginEvent(1));
      await runtime.onBatch([aPluginEvent(1)]);
      await runtime.teardown();
    });

    it('times out a call whose promise never settles, and serves the next one', async () => {
      const { runtime } = await start(`{ ${HEADER}, enrich(e) {
        return e.messageId === 'hang' ? new Promise(() => {}) : e;
      } }`);
      const started = Date.now();
      await expect(runtime.enrich([aTrackingEvent({ messageId: 'hang' })])).rejects.toMatchObject({
        kind: 'timeout',
        hook: 'enrich',
      });
      expect(Date.now() - started).toBeLessThan(TEST_LIMITS.timeoutMs + 1_000);
      expect(await runtime.enrich([aTrackingEvent()])).toEqual([
        { kind: 'ok', event: aTrackingEvent() },
      ]);
    });

    it('refuses calls after dispose', async () => {
      const { runtime } = await start(`{ ${HEADER}, enrich: (e) => e }`);
      runtime.dispose();
      const disposed = { kind: 'error', message: 'the plugin runtime was disposed' };
      await expect(runtime.enrich([aTrackingEvent()])).rejects.toMatchObject(disposed);
      // Also the hooks it does not define: the runtime is gone, not the hook.
      await expect(runtime.onEvent(aPluginEvent(1))).rejects.toMatchObject(disposed);
    });
  });
}
