/**
 * Where a serving process runs its projections: on its event loop by default, on a thread of
 * their own with `projections.thread` (the embedded log wakes it on each commit). Both serve the
 * same profiles through the same API.
 */
import { ProjectionHost, type ProjectionControl } from '@uspa/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECTION_HOST } from '../composition/build-container.js';
import { startUspaServer, type UspaServer } from '../composition/uspa-server.js';
import { loadConfig } from '../config/load-config.js';
import { TEST_ADMIN_KEY, TEST_WRITE_KEY } from '../testing/uspa-test-server.js';
import type { Worker } from 'node:worker_threads';
import type { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { startWorkerBeside } from '../adapters/sqlite/sqlite-worker-thread.js';
import { openEventStore } from '../composition/event-store.factory.js';
import { ConsoleOverview } from '../console/console-overview.js';
import { LogTally } from '../console/log-tally.js';
import { registerProjectionMetrics } from '../observability/projection-metrics.js';
import { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { ProjectionThread } from './projection-thread.js';
import { threadLogger } from './thread-logger.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-projection-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  server: UspaServer;
  base: string;
  /** The server's log records, as JSON lines. */
  records: Record<string, unknown>[];
}

async function serve(name: string, environment: Record<string, string>): Promise<Running> {
  const records: Record<string, unknown>[] = [];
  const log = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') records.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: join(dir, name),
    USPA_LOG_LEVEL: 'info',
    USPA_BOOTSTRAP_WRITE_KEY: TEST_WRITE_KEY,
    USPA_BOOTSTRAP_ADMIN_KEY: TEST_ADMIN_KEY,
    USPA_DEMO: 'false',
    // Subscriptions would look for other writers' appends only once a minute: what the
    // projections see at once, they were told of.
    USPA_SQLITE_POLL_INTERVAL_MS: '60000',
    ...environment,
  });
  const server = await startUspaServer(config, { logDestination: log });
  return { server, base: `http://127.0.0.1:${server.port}`, records };
}

const writeAuth = `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`;
const adminAuth = `Bearer ${TEST_ADMIN_KEY}`;

async function collect(base: string, call: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${base}/v1/${call}`, {
    method: 'POST',
    headers: { authorization: writeAuth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

/** Ada browses anonymously, signs up, then buys: one profile, built from three calls. */
async function adaShops(base: string): Promise<void> {
  await collect(base, 'page', {
    anonymousId: 'anon-ada',
    name: 'Pricing',
    timestamp: '2026-11-02T09:00:00.000Z',
  });
  await collect(base, 'identify', {
    anonymousId: 'anon-ada',
    userId: 'ada',
    traits: { name: 'Ada Lovelace', email: 'ada@example.com' },
    timestamp: '2026-11-02T09:05:00.000Z',
  });
  await collect(base, 'track', {
    userId: 'ada',
    event: 'Order Completed',
    properties: { total: 42 },
    timestamp: '2026-11-02T09:10:00.000Z',
  });
}

/** Ada's profile as the API serves it, once it holds all three calls (within 5 s). */
async function adaServed(base: string): Promise<{ profile: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${base}/v1/profiles/anonymous_id:anon-ada`, {
      headers: { authorization: adminAuth },
    });
    if (response.status === 200) {
      const profile = (await response.json()) as Record<string, unknown>;
      if ((profile.counters as { total?: number } | undefined)?.total === 3) {
        return { profile, ms: performance.now() - started };
      }
    }
    if (performance.now() - started > 5_000) throw new Error('Ada’s profile was not served');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('projections of a serving process', () => {
  const served: Record<string, Record<string, unknown>> = {};

  it('run on a thread of their own when asked, and follow the log as it is written', async () => {
    const { server, base, records } = await serve('thread', { USPA_PROJECTION_THREAD: 'true' });
    try {
      const host = server.container.resolve<ProjectionControl>(PROJECTION_HOST);
      expect(host).toBeInstanceOf(ProjectionThread);
      await adaShops(base);
      const { profile, ms } = await adaServed(base);
      expect(ms).toBeLessThan(2_000);
      expect(profile).toMatchObject({
        traits: { name: 'Ada Lovelace', email: 'ada@example.com' },
        ecommerce: { orders: 1, revenue: 42 },
      });
      served.thread = profile;

      // Operating them goes through the thread: status, a rebuild, and its records in the log.
      const rebuild = await fetch(`${base}/v1/admin/projections/profiles/rebuild`, {
        method: 'POST',
        headers: { authorization: adminAuth },
      });
      expect(rebuild.status).toBe(202);
      expect(await rebuild.json()).toMatchObject({ name: 'profiles', building: { generation: 2 } });
      expect(records).toContainEqual(
        expect.objectContaining({
          component: 'projections',
          projection: 'profiles',
          msg: 'projection rebuild started',
        }),
      );
    } finally {
      await server.stop();
    }
  });

  it('run on the event loop by default, serving the same profile', async () => {
    const { server, base } = await serve('event-loop', {});
    try {
      expect(server.container.resolve(PROJECTION_HOST)).toBeInstanceOf(ProjectionHost);
      await adaShops(base);
      const { profile } = await adaServed(base);
      served.eventLoop = profile;
    } finally {
      await server.stop();
    }
    // All but the profile id, drawn at random when a profile is first seen.
    const { id: threadId, ...onThread } = served.thread!;
    const { id: loopId, ...onEventLoop } = served.eventLoop;
    expect([threadId, loopId]).toEqual([expect.any(String), expect.any(String)]);
    expect(onEventLoop).toEqual(onThread);
  });

  it('answer for a projection that does not exist with 404, through the thread', async () => {
    const { server, base } = await serve('unknown', { USPA_PROJECTION_THREAD: 'true' });
    try {
      const response = await fetch(`${base}/v1/admin/projections/nope/rebuild`, {
        method: 'POST',
        headers: { authorization: adminAuth },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ detail: 'No projection named "nope"' });
    } finally {
      await server.stop();
    }
  });
});

describe('a projection thread that stops unexpectedly', () => {
  it('is started again, and its projections resume from their checkpoints', async () => {
    const config = loadConfig({ USPA_DATA_DIR: join(dir, 'restart'), USPA_DEMO: 'false' });
    const log = (await openEventStore(config)) as SqliteEventStore;
    const threads: Worker[] = [];
    const problems: string[] = [];
    const logger = threadLogger(
      (level, _details, message) => level === 'error' && problems.push(message),
      'info',
    );
    const projections = await ProjectionThread.start(config, {
      log,
      commits: log,
      changes: new ProfileChangeFeed(),
      logger,
      startThread: (workerData) => {
        const worker = startWorkerBeside(
          new URL('./projection-thread.ts', import.meta.url).href,
          'projection-thread',
          workerData,
          { workspaces: true },
        );
        threads.push(worker);
        return worker;
      },
    });
    try {
      const identify = (userId: string) =>
        log.append(`user-${userId}`, [
          {
            type: 'Identified',
            data: { userId, traits: { plan: 'pro' }, timestamp: new Date().toISOString() },
          },
        ]);
      const first = await identify('ada');
      expect(await projections.waitFor('profiles', first.position, 10_000)).toBe(true);

      const metrics = new Registry();
      registerProjectionMetrics(metrics, projections);
      const checkpointGauge = async () =>
        /^uspa_projection_checkpoint\{projection="profiles",role="serving"\} (\d+)$/m.exec(
          await metrics.metrics(),
        )?.[1];
      expect(await checkpointGauge()).toBe(String(first.position));
      const overview = new ConsoleOverview(new LogTally(log), projections, { cacheMs: 0 });
      const shown = async () => (await overview.current()).projections.map(({ name }) => name);
      expect(await shown()).toEqual(['profiles']);

      await threads[0]!.terminate();
      await expect(projections.statuses()).rejects.toMatchObject({ status: 503 });
      // Metrics are still scraped meanwhile, and the console's overview still answers, without
      // figures for projections that do not run.
      expect(await checkpointGauge()).toBeUndefined();
      const meanwhile = await overview.current();
      expect(meanwhile.projections).toEqual([]);
      expect(meanwhile.events.byType).toMatchObject({ Identified: 1 });
      expect(problems).toContain('projection thread stopped unexpectedly: starting it again');

      const second = await identify('grace');
      const deadline = Date.now() + 20_000;
      while (threads.length < 2 || !(await projections.statuses().catch(() => undefined))) {
        if (Date.now() > deadline) throw new Error('the thread was not started again');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await projections.waitFor('profiles', second.position, 10_000)).toBe(true);
      const [profiles] = await projections.statuses();
      expect(profiles?.serving).toMatchObject({ generation: 1, checkpoint: second.position });
      expect(await checkpointGauge()).toBe(String(second.position));
      expect(await shown()).toEqual(['profiles']);
    } finally {
      await projections.stop();
      await log.close();
    }
  }, 60_000);
});
