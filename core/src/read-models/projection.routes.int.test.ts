/**
 * The projection admin API against a real server: status after ingest, a blue/green rebuild
 * while profiles keep being served, dead letters; on the embedded read side always and on
 * OpenSearch + Redis when they answer (required on CI).
 */
import {
  profilesProjection,
  type ProjectionControl,
  type ProjectionStatus,
} from '@uspa/projections';
import { PROJECTION_HOST } from '../composition/build-container.js';

const VERSION = profilesProjection().version;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testReadSides } from '../testing/test-read-sides.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

const readSides = await testReadSides('admin');

for (const readSide of readSides) {
  describe.skipIf(!readSide.available)(`projection admin API (${readSide.name})`, () => {
    let uspa: TestServer;
    let readerAuth: string;
    /** Position of the last collected event. */
    let lastPosition: number;

    const call = (path: string, init: { method?: string; authorization?: string | null } = {}) =>
      fetch(`${uspa.base}${path}`, {
        method: init.method ?? 'GET',
        headers:
          init.authorization === null
            ? {}
            : { authorization: init.authorization ?? uspa.adminAuth },
      });
    const json = async <T>(path: string, authorization?: string): Promise<T> => {
      const response = await call(path, { authorization: authorization ?? uspa.adminAuth });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as T;
    };
    const profilesStatus = async (): Promise<ProjectionStatus> => {
      const { projections } = await json<{ projections: ProjectionStatus[] }>(
        '/v1/admin/projections',
      );
      const found = projections.find((projection) => projection.name === 'profiles');
      expect(found).toBeDefined();
      return found!;
    };
    /** Polls the status until `done` holds, for up to 10 s. */
    const statusWhen = async (
      done: (status: ProjectionStatus) => boolean,
    ): Promise<ProjectionStatus> => {
      const deadline = Date.now() + 10_000;
      let status = await profilesStatus();
      while (!done(status) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = await profilesStatus();
      }
      return status;
    };
    /** What a reader sees of Ada: her profile, her timeline and the search for her. */
    const adaAsServed = async () => ({
      byUserId: await json<unknown>('/v1/profiles/user_id:ada', readerAuth),
      byEmail: await json<unknown>('/v1/profiles/email:ada@example.com', readerAuth),
      timeline: await json<unknown>('/v1/profiles/user_id:ada/events', readerAuth),
      search: await json<unknown>('/v1/profiles?q=lovelace', readerAuth),
    });

    beforeAll(async () => {
      uspa = await readSide.start();
      const created = await fetch(`${uspa.base}/v1/admin/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.adminAuth },
        body: JSON.stringify({ type: 'secret', name: 'reader', scopes: ['profiles:read'] }),
      });
      readerAuth = `Bearer ${((await created.json()) as { key: string }).key}`;
      const response = await fetch(`${uspa.base}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
        body: JSON.stringify({
          batch: [
            { type: 'page', anonymousId: 'a-1', name: 'Home' },
            {
              type: 'identify',
              userId: 'ada',
              anonymousId: 'a-1',
              traits: { email: 'ada@example.com', name: 'Ada Lovelace' },
            },
            { type: 'page', anonymousId: 'a-2', name: 'Pricing' },
            { type: 'identify', userId: 'ada', anonymousId: 'a-2' },
            { type: 'track', userId: 'ada', event: 'Order Completed', properties: { revenue: 5 } },
            { type: 'track', userId: 'bob', event: 'Signed Up' },
          ],
        }),
      });
      expect(response.status).toBe(200);
      const [last] = await uspa.store.readAll({
        direction: 'backwards',
        maxCount: 1,
        filter: { streamPrefixes: ['user-', 'anon-'] },
      });
      lastPosition = last!.position;
    }, 60_000);
    afterAll(() => uspa?.stop());

    it('lists profiles with its serving generation, caught up with the log', async () => {
      const status = await statusWhen((now) => now.serving?.checkpoint === lastPosition);
      expect(status).toMatchObject({
        name: 'profiles',
        version: VERSION,
        serving: {
          generation: 1,
          version: VERSION,
          state: 'running',
          checkpoint: lastPosition,
          lagEvents: 0,
          lagSeconds: 0,
          parked: 0,
        },
      });
      expect(status.building).toBeUndefined();
    });

    it('exposes checkpoint, lag and throughput as Prometheus metrics', async () => {
      await statusWhen((now) => now.serving?.checkpoint === lastPosition);
      const metrics = await (await fetch(`${uspa.base}/metrics`)).text();
      const serving = '{projection="profiles",role="serving"}';
      expect(metrics).toContain(`uspa_projection_checkpoint${serving} ${lastPosition}`);
      expect(metrics).toContain(`uspa_projection_lag_events${serving} 0`);
      expect(metrics).toContain(`uspa_projection_lag_seconds${serving} 0`);
      expect(metrics).toContain(`uspa_projection_parked_events${serving} 0`);
      const rate = new RegExp(
        `uspa_projection_events_per_second\\{projection="profiles",role="serving"\\} ([0-9.e-]+)`,
      ).exec(metrics);
      expect(Number(rate?.[1])).toBeGreaterThan(0);
    });

    it('has no dead letters', async () => {
      expect(await json('/v1/admin/projections/profiles/dead-letters')).toEqual({
        deadLetters: [],
      });
    });

    it('rebuilds blue/green and serves the same profiles afterwards', async () => {
      // Search documents follow the key-value profile by one settling step: wait for both.
      const host = uspa.server.container.resolve<ProjectionControl>(PROJECTION_HOST);
      expect(await host.waitFor('profiles', lastPosition, 10_000, { settled: true })).toBe(true);
      const before = await adaAsServed();
      expect(before.byUserId).toMatchObject({
        counters: { total: 5 },
        ecommerce: { orders: 1, revenue: 5 },
      });
      const response = await call('/v1/admin/projections/profiles/rebuild', { method: 'POST' });
      expect(response.status).toBe(202);
      const started = (await response.json()) as ProjectionStatus;
      expect(started.serving?.generation).toBe(1);
      expect(started.building).toMatchObject({ generation: 2, version: VERSION });

      const switched = await statusWhen((now) => now.building === undefined);
      expect(switched.serving).toMatchObject({
        generation: 2,
        checkpoint: lastPosition,
        lagEvents: 0,
      });
      // At once: no reader may meet the storage of the generation just dropped.
      expect(await adaAsServed()).toEqual(before);
    });

    it('answers an unknown projection with 404', async () => {
      for (const [method, path] of [
        ['POST', '/v1/admin/projections/nope/rebuild'],
        ['GET', '/v1/admin/projections/nope/dead-letters'],
        ['POST', '/v1/admin/projections/nope/dead-letters/replay'],
      ] as const) {
        const response = await call(path, { method });
        expect(response.status, path).toBe(404);
        expect(response.headers.get('content-type')).toBe(
          'application/problem+json; charset=utf-8',
        );
        expect(await response.json()).toMatchObject({
          code: 'not_found',
          detail: 'No projection named "nope"',
        });
      }
    });

    it('wants an admin key', async () => {
      for (const [method, path] of [
        ['GET', '/v1/admin/projections'],
        ['POST', '/v1/admin/projections/profiles/rebuild'],
        ['GET', '/v1/admin/projections/profiles/dead-letters'],
        ['POST', '/v1/admin/projections/profiles/dead-letters/replay'],
      ] as const) {
        expect((await call(path, { method, authorization: readerAuth })).status, path).toBe(403);
        expect((await call(path, { method, authorization: null })).status, path).toBe(401);
        expect((await call(path, { method, authorization: uspa.writeAuth })).status, path).toBe(
          401,
        );
      }
      expect((await profilesStatus()).building).toBeUndefined();
    });
  });
}

describe('a process without projections (projections.enabled false)', () => {
  it('serves collection and says 409 on the projection admin API', async () => {
    const uspa = await startTestServer({ USPA_PROJECTIONS: 'false' });
    try {
      const tracked = await fetch(`${uspa.base}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
        body: JSON.stringify({ userId: 'u-1', event: 'Signed Up' }),
      });
      expect(tracked.status).toBe(200);
      const admin = await fetch(`${uspa.base}/v1/admin/projections`, {
        headers: { authorization: uspa.adminAuth },
      });
      expect(admin.status).toBe(409);
      expect(await admin.json()).toMatchObject({ code: 'projections_disabled' });
    } finally {
      await uspa.stop();
    }
  });
});
