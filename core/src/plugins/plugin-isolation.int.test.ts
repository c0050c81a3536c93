/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- API answers are read as loose JSON and checked with toMatchObject */
/**
 * Third-party plugins on a real server, each installed from a folder and run in its own isolate:
 * four faulty ones (one throws, one loops forever, one allocates without bound, one is slow) and
 * a well-behaved one, while 10,000 events are ingested. Ingestion loses nothing; every fault is
 * on record; each faulty plugin ends up disabled with its reason. A nosy plugin is kept to its
 * declared hosts and its own store and configuration.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

const FAULTY: Record<string, string> = {
  thrower: `enrich() { throw new Error('boom'); }`,
  looper: `enrich() { for (;;) {} }`,
  hog: `enrich() { const hoard = []; for (;;) hoard.push(new Array(1000000).fill(Math.random())); }`,
  sleeper: `enrich(event) { const until = Date.now() + 30; while (Date.now() < until) {} return event; }`,
};

describe('isolated third-party plugins', () => {
  let uspa: TestServer;
  let folder: string;
  let outsider: Server;
  let outsiderUrl: string;
  let outsiderHits = 0;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${uspa.base}${path}`, {
      method,
      headers: { authorization: uspa.adminAuth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };
  const writePlugin = (
    name: string,
    members: string,
    config = '',
    version = '1.0.0',
    host = '>=0.1.0',
  ) => {
    const dir = join(folder, `${name}-${version}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, version, type: 'module', main: 'index.js' }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      `export default { name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)}, host: ${JSON.stringify(host)}, ${config} ${members} };\n`,
    );
    return dir;
  };
  const installAndEnable = async (name: string, path: string, config?: unknown) => {
    const installed = await api('POST', '/v1/admin/plugins', { source: 'folder', path });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    if (config)
      expect((await api('PUT', `/v1/admin/plugins/${name}/config`, config)).status).toBe(200);
    const enabled = await api('POST', `/v1/admin/plugins/${name}/enable`);
    expect(enabled.body.status, JSON.stringify(enabled.body)).toBe('running');
  };
  const batch = async (messages: unknown[]) => {
    const response = await fetch(`${uspa.base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
      body: JSON.stringify({ batch: messages }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { success: boolean };
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'uspa-plugins-'));
    outsider = createServer((_request, response) => {
      outsiderHits++;
      response.end('secret');
    });
    await new Promise<void>((resolve) => outsider.listen(0, '127.0.0.1', resolve));
    outsiderUrl = `http://127.0.0.1:${(outsider.address() as AddressInfo).port}/`;
    uspa = await startTestServer({
      // Long enough that the hog mostly meets its memory limit first on a loaded machine; the
      // sleeper (30 ms an event, 100 events a batch) still runs past it.
      USPA_PLUGIN_ENRICH_TIMEOUT_MS: '1500',
      USPA_PLUGIN_MEMORY_MB: '32',
      USPA_PLUGIN_FAULT_WINDOW_MS: '600000',
    });
  });
  afterAll(async () => {
    await uspa?.stop();
    await new Promise((resolve) => outsider.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps ingesting every event while faulty plugins are faulted and disabled', async () => {
    await installAndEnable(
      'tagger',
      writePlugin(
        'tagger',
        `enrich(event) { return { ...event, enrichment: { ...event.enrichment, tagged: true } }; }`,
      ),
    );
    for (const [name, members] of Object.entries(FAULTY)) {
      await installAndEnable(name, writePlugin(name, members));
    }
    for (let n = 0; n < 100; n++) {
      await batch(
        Array.from({ length: 100 }, (_, i) => ({
          type: 'track',
          userId: `user-${(n * 100 + i) % 500}`,
          event: 'Product Viewed',
          messageId: `fault-${n}-${i}`,
          properties: { sku: `sku-${i}` },
        })),
      );
    }
    let stored = 0;
    let tagged = 0;
    let after = 0;
    for (;;) {
      const page = await uspa.store.readAll({
        after,
        maxCount: 1000,
        filter: { eventTypes: ['Tracked'] },
      });
      for (const event of page) {
        stored++;
        const enrichment = (event.data as { enrichment?: { tagged?: boolean } }).enrichment;
        if (enrichment?.tagged) tagged++;
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.position;
    }
    expect(stored).toBe(10_000);
    expect(tagged).toBe(10_000);

    for (const [name, kind] of [
      ['thrower', 'error'],
      ['looper', 'timeout'],
      ['hog', 'memory'],
      ['sleeper', 'timeout'],
    ] as const) {
      const plugin = await eventually(
        async () => (await api('GET', `/v1/admin/plugins/${name}`)).body,
        (body) => body.enabled === false,
      );
      expect(plugin, name).toMatchObject({
        enabled: false,
        status: 'disabled',
        disabled: { by: 'host' },
      });
      expect(plugin.disabled.reason, name).toContain('5 faults');
      expect(plugin.faultCount, name).toBe(5);
      const kinds = plugin.faults.map((fault: { kind: string }) => fault.kind) as string[];
      if (name === 'hog') {
        // Near its heap limit V8 collects again and again; on a loaded machine a call can reach
        // the time limit first. The memory limit must still be what stops it, at least once.
        expect(
          kinds.every((seen) => seen === 'memory' || seen === 'timeout'),
          name,
        ).toBe(true);
        expect(kinds, name).toContain('memory');
      } else {
        expect(kinds, name).toEqual(Array(5).fill(kind));
      }
      const history = await api('GET', `/v1/admin/plugins/${name}/history`);
      const types = (history.body.history as { type: string }[]).map((entry) => entry.type);
      expect(
        types.filter((type) => type === 'PluginFaulted'),
        name,
      ).toHaveLength(5);
      expect(types.at(-1), name).toBe('PluginDisabled');
    }
    const tagger = await api('GET', '/v1/admin/plugins/tagger');
    expect(tagger.body).toMatchObject({ enabled: true, faultCount: 0 });
  }, 120_000);

  it('refuses a fetch to an undeclared host and keeps stores and configs apart', async () => {
    await installAndEnable(
      'keeper',
      writePlugin(
        'keeper',
        `async setup(ctx) { await ctx.store.set('secret', 'kept'); }`,
        `configSchema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },`,
      ),
      { token: 'keeper-token-123' },
    );
    await installAndEnable(
      'snoop',
      writePlugin(
        'snoop',
        `async enrich(event, ctx) {
          let fetchError = null;
          try { await ctx.fetch(${JSON.stringify(outsiderUrl)}); } catch (error) { fetchError = String(error.message ?? error); }
          const stolen = (await ctx.store.get('secret')) ?? null;
          const ownStore = await ctx.store.get('mine');
          await ctx.store.set('mine', 'snoop-value');
          return { ...event, enrichment: { ...event.enrichment, snoop: { fetchError, stolen, configKeys: Object.keys(ctx.config), ownStore: ownStore ?? null } } };
        }`,
        `permissions: { network: ['api.example.com'] },`,
      ),
    );
    await batch([{ type: 'track', userId: 'nosy-1', event: 'Snooped', messageId: 'snoop-1' }]);
    await batch([{ type: 'track', userId: 'nosy-2', event: 'Snooped', messageId: 'snoop-2' }]);
    const events = await uspa.store.readAll({
      maxCount: 100_000,
      filter: { eventTypes: ['Tracked'] },
    });
    const snooped = events
      .filter((event) => (event.data as { event?: string }).event === 'Snooped')
      .map(
        (event) =>
          (event.data as { enrichment: { snoop: Record<string, unknown> } }).enrichment.snoop,
      );
    expect(snooped).toHaveLength(2);
    expect(snooped[0]!.fetchError).toContain('127.0.0.1');
    expect(snooped[0]!.fetchError).toContain('permissions.network');
    expect(outsiderHits).toBe(0);
    expect(snooped[0]!.stolen).toBeNull();
    expect(snooped[0]!.configKeys).toEqual([]);
    // Its own store works across calls.
    expect(snooped[1]!.ownStore).toBe('snoop-value');
  });

  it('upgrades and downgrades a plugin, refusing a release made for another USPA', async () => {
    const stamp = (version: string) =>
      `enrich(event) { return { ...event, enrichment: { ...event.enrichment, stamp: ${JSON.stringify(version)} } }; }`;
    await installAndEnable('stamper', writePlugin('stamper', stamp('1.0.0')));
    const stampOf = async (messageId: string) => {
      await batch([{ type: 'track', userId: 'stamped', event: 'Stamped', messageId }]);
      const events = await uspa.store.readAll({
        maxCount: 100_000,
        filter: { eventTypes: ['Tracked'] },
      });
      const event = events.find(
        (candidate) => (candidate.data as { messageId?: string }).messageId === messageId,
      );
      return (event?.data as { enrichment?: { stamp?: string } }).enrichment?.stamp;
    };
    expect(await stampOf('stamp-1')).toBe('1.0.0');

    const upgraded = await api('POST', '/v1/admin/plugins/stamper/version', {
      source: 'folder',
      path: writePlugin('stamper', stamp('2.0.0'), '', '2.0.0'),
    });
    expect(upgraded.body).toMatchObject({ version: '2.0.0', enabled: true, status: 'running' });
    expect(await stampOf('stamp-2')).toBe('2.0.0');

    const foreign = await api('POST', '/v1/admin/plugins/stamper/version', {
      source: 'folder',
      path: writePlugin('stamper', stamp('3.0.0'), '', '3.0.0', '>=9.0.0'),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('plugin_host_incompatible');

    const downgraded = await api('POST', '/v1/admin/plugins/stamper/version', {
      source: 'folder',
      path: join(folder, 'stamper-1.0.0'),
    });
    expect(downgraded.body).toMatchObject({ version: '1.0.0', status: 'running' });
    expect(await stampOf('stamp-3')).toBe('1.0.0');
    const history = await api('GET', '/v1/admin/plugins/stamper/history');
    const changes = (history.body.history as { type: string; from?: string; version?: string }[])
      .filter((entry) => entry.type === 'PluginVersionChanged')
      .map((entry) => `${entry.from} → ${entry.version}`);
    expect(changes).toEqual(['1.0.0 → 2.0.0', '2.0.0 → 1.0.0']);
  });

  it('builds a plugin projection over the whole log, then keeps it current', async () => {
    await installAndEnable(
      'order-counter',
      writePlugin(
        'order-counter',
        `projections: [{ name: 'tracked', handles: ['Tracked'], async handle(events, ctx) {
            await ctx.store.increment('tracked', events.length);
          } }],
          async enrich(event, ctx) {
            return { ...event, enrichment: { ...event.enrichment, seen: (await ctx.store.get('tracked')) ?? 0 } };
          }`,
        `permissions: { events: ['Tracked'] },`,
      ),
    );
    // The log is read from where the last probe stopped: reading all of it twice a probe (every
    // 25 ms) left the projection it waits for too little of a slow machine's main thread.
    let tracked = 0;
    let after = 0;
    const readTracked = async () => {
      const events = await uspa.store.readAll({
        after,
        maxCount: 100_000,
        filter: { eventTypes: ['Tracked'] },
      });
      tracked += events.length;
      after = events.at(-1)?.position ?? after;
      return events;
    };
    // Caught up with everything tracked before it was installed, it has counted each Tracked
    // event once: what an event's enrichment saw is what the log held just before it.
    let n = 0;
    const probe = async () => {
      await readTracked();
      const before = tracked;
      const messageId = `count-${n++}`;
      await batch([{ type: 'track', userId: 'counted', event: 'Counted', messageId }]);
      const event = (await readTracked()).find(
        (candidate) => (candidate.data as { messageId?: string }).messageId === messageId,
      );
      return {
        logged: before,
        seen: (event?.data as { enrichment: { seen: number } }).enrichment.seen,
      };
    };
    const { logged, seen } = await eventually(probe, (now) => now.seen === now.logged, 20_000);
    expect(logged).toBeGreaterThan(10_000);
    expect(seen).toBe(logged);
  });

  it('keeps ingesting while a plugin loads and sets up, then enriches with it', async () => {
    // Slow to load (its bundle's top level) and slow to set up: calls go on meanwhile.
    const dir = writePlugin(
      'slowstart',
      `async setup() { const until = Date.now() + 400; while (Date.now() < until) {} },
       enrich(event) { return { ...event, enrichment: { ...event.enrichment, slowstart: true } }; }`,
    );
    writeFileSync(
      join(dir, 'index.js'),
      `const until = Date.now() + 400; while (Date.now() < until) {}\n${readFileSync(join(dir, 'index.js'), 'utf8')}`,
    );
    const installed = await api('POST', '/v1/admin/plugins', { source: 'folder', path: dir });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    let enabling = true;
    const statuses: number[] = [];
    const track = async (n: number) => {
      const response = await fetch(`${uspa.base}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
        body: JSON.stringify({ userId: 'starter', event: 'Clicked', messageId: `start-${n}` }),
      });
      statuses.push(response.status);
    };
    const calls = (async () => {
      for (let n = 0; enabling || n < 5; n++) {
        await track(n);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const enabled = await api('POST', '/v1/admin/plugins/slowstart/enable');
    enabling = false;
    await calls;
    expect(enabled.body.status, JSON.stringify(enabled.body)).toBe('running');
    // A handful of calls answered during the 800 ms of loading and set-up shows they went on;
    // how many depends on how loaded the machine is.
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await track(10_000);
    const started = (
      await uspa.store.readAll({ maxCount: 100_000, filter: { eventTypes: ['Tracked'] } })
    )
      .map((event) => event.data as { messageId: string; enrichment: Record<string, unknown> })
      .filter((data) => data.messageId.startsWith('start-'));
    expect(started).toHaveLength(statuses.length);
    const last = started.find((data) => data.messageId === 'start-10000');
    expect(last?.enrichment.slowstart).toBe(true);
  });

  it('reconfigured under load, a plugin is not blamed for the calls its old runtime refused', async () => {
    await installAndEnable(
      'steady',
      writePlugin(
        'steady',
        `enrich(event, ctx) {
          const until = Date.now() + 1; while (Date.now() < until) {}
          return { ...event, enrichment: { ...event.enrichment, steady: ctx.config.round ?? 0 } };
        }`,
        `configSchema: { type: 'object', properties: { round: { type: 'integer' } } },`,
      ),
    );
    let loading = true;
    let sent = 0;
    const sender = async (lane: number) => {
      for (let n = 0; loading; n++) {
        await batch(
          Array.from({ length: 20 }, (_, i) => ({
            type: 'track',
            userId: `steady-${i}`,
            event: 'Reconfigured',
            messageId: `steady-${lane}-${n}-${i}`,
          })),
        );
        sent += 20;
      }
    };
    const senders = [0, 1, 2, 3, 4, 5].map(sender);
    for (let round = 1; round <= 8; round++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect((await api('PUT', '/v1/admin/plugins/steady/config', { round })).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    loading = false;
    await Promise.all(senders);

    const { events } = await uspa.store.readStream('plugin-steady');
    expect(events.filter((event) => event.type === 'PluginFaulted')).toEqual([]);
    expect(events.some((event) => event.type === 'PluginDisabled')).toBe(false);
    const stored = await uspa.store.readAll({
      maxCount: 100_000,
      filter: { eventTypes: ['Tracked'] },
    });
    const reconfigured = stored
      .map((event) => event.data as { event: string; enrichment: { steady?: number } })
      .filter((data) => data.event === 'Reconfigured');
    expect(reconfigured).toHaveLength(sent);
    // Once restarted, the last configuration is the one that enriches.
    let probe = 0;
    const steadyOf = async () => {
      const messageId = `last-${probe++}`;
      await batch([{ type: 'track', userId: 'steady-x', event: 'Reconfigured', messageId }]);
      const stored = await uspa.store.readAll({
        maxCount: 100_000,
        filter: { eventTypes: ['Tracked'] },
      });
      const data = stored
        .map((event) => event.data as { messageId: string; enrichment: { steady?: number } })
        .find((candidate) => candidate.messageId === messageId);
      return data?.enrichment.steady;
    };
    expect(await eventually(steadyOf, (steady) => steady === 8)).toBe(8);
  });
});
