/**
 * The profile API against a real server: collection calls in, profiles out, on the embedded read
 * side always and on OpenSearch + Redis when they answer (required on CI).
 */
import {
  PROFILES_HANDLES,
  PROFILES_PROJECTION,
  type Profile,
  type ProjectionControl,
} from '@uspa/projections';
import type { RecordedEvent } from '@uspa/sdk';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTION_HOST } from '../composition/build-container.js';
import { testReadSides } from '../testing/test-read-sides.js';
import type { TestServer } from '../testing/uspa-test-server.js';

const readSides = await testReadSides('api');

interface Page {
  hits: { id: string; document: Profile }[];
  total: number;
  next?: string;
}

for (const readSide of readSides) {
  describe.skipIf(!readSide.available)(`profile API (${readSide.name})`, () => {
    let uspa: TestServer;
    let readerAuth: string;
    /** Ada's profile before Ada's second device was linked to it. */
    let secondDeviceProfileId: string;

    const collect = async (path: string, body: Record<string, unknown>): Promise<void> => {
      const response = await fetch(`${uspa.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
    };
    const get = (path: string, authorization: string | null = readerAuth) =>
      fetch(`${uspa.base}${path}`, { headers: authorization ? { authorization } : {} });
    const getJson = async <T>(path: string): Promise<T> => {
      const response = await get(path);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as T;
    };
    const profile = (identifier: string) =>
      getJson<Profile>(`/v1/profiles/${encodeURIComponent(identifier)}`);
    const search = async (query: string): Promise<string[]> => {
      const page = await getJson<Page>(`/v1/profiles?${query}`);
      return page.hits.map((hit) => String(hit.document.traits.name));
    };
    /**
     * Waits until the profile projection has applied everything collected so far. The last event
     * it handles, not the last in its streams: a merge it decided after a slow batch lands later
     * in the log, and is no event it reads.
     */
    const projected = async (): Promise<void> => {
      const host = uspa.server.container.resolve<ProjectionControl>(PROJECTION_HOST);
      const [last] = await uspa.store.readAll({
        direction: 'backwards',
        maxCount: 1,
        filter: { eventTypes: [...PROFILES_HANDLES] },
      });
      expect(
        await host.waitFor(PROFILES_PROJECTION, last!.position, 30_000, { settled: true }),
      ).toBe(true);
    };

    beforeAll(async () => {
      uspa = await readSide.start();
      const created = await fetch(`${uspa.base}/v1/admin/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: uspa.adminAuth },
        body: JSON.stringify({ type: 'secret', name: 'reader', scopes: ['profiles:read'] }),
      });
      readerAuth = `Bearer ${((await created.json()) as { key: string }).key}`;

      // Ada browses anonymously on two devices.
      await collect('/v1/page', {
        anonymousId: 'visitor-1',
        name: 'Pricing',
        timestamp: '2026-03-01T10:00:00.000Z',
      });
      await collect('/v1/track', {
        anonymousId: 'visitor-2',
        event: 'Product Viewed',
        properties: { sku: 'tin-3' },
        timestamp: '2026-03-01T11:00:00.000Z',
      });
      await projected();
      secondDeviceProfileId = (await profile('anonymous_id:visitor-2')).id;
      // She signs up on the first, logs in on the second (linking both), and orders twice.
      await collect('/v1/identify', {
        userId: '42',
        anonymousId: 'visitor-1',
        traits: { email: ' Ada.Lovelace@Example.COM', name: 'Ada Lovelace', plan: 'pro' },
        timestamp: '2026-03-01T10:05:00.000Z',
      });
      await collect('/v1/identify', {
        userId: '42',
        anonymousId: 'visitor-2',
        timestamp: '2026-03-01T11:05:00.000Z',
      });
      await collect('/v1/track', {
        userId: '42',
        event: 'Order Completed',
        properties: { orderId: 'o-1', revenue: 99.5 },
        timestamp: '2026-03-01T11:10:00.000Z',
      });
      await collect('/v1/track', {
        userId: '42',
        event: 'Order Completed',
        properties: { orderId: 'o-2', revenue: 20 },
        timestamp: '2026-03-02T09:00:00.000Z',
      });
      // Two other people: user 420 (a userId that starts like Ada's) and user 7.
      await collect('/v1/identify', {
        userId: '420',
        traits: { email: 'grace@example.com', name: 'Grace Hopper', plan: 'free' },
        timestamp: '2026-03-01T12:00:00.000Z',
      });
      await collect('/v1/identify', {
        userId: '7',
        traits: { email: 'linus@example.com', name: 'Linus Torvalds', plan: 'pro' },
        timestamp: '2026-03-01T13:00:00.000Z',
      });
      await collect('/v1/track', {
        userId: '7',
        event: 'Order Completed',
        properties: { orderId: 'o-3', revenue: 10 },
        timestamp: '2026-03-01T13:30:00.000Z',
      });
      await projected();
    }, 60_000);
    afterAll(() => uspa?.stop());

    describe('get by identifier', () => {
      it('answers every identifier of a person with one profile', async () => {
        const ada = await profile('user_id:42');
        expect(ada.identifiers.toSorted()).toEqual([
          'anonymous_id:visitor-1',
          'anonymous_id:visitor-2',
          'email:ada.lovelace@example.com',
          'user_id:42',
        ]);
        expect(ada.traits).toMatchObject({
          email: ' Ada.Lovelace@Example.COM',
          name: 'Ada Lovelace',
          plan: 'pro',
        });
        expect(ada.counters).toEqual({
          total: 6,
          byType: { PageViewed: 1, Tracked: 3, Identified: 2 },
          byEvent: { 'Product Viewed': 1, 'Order Completed': 2 },
        });
        expect(ada.ecommerce).toMatchObject({
          orders: 2,
          revenue: 119.5,
          averageOrderValue: 59.75,
          lastOrderAt: '2026-03-02T09:00:00.000Z',
        });
        expect(ada.firstSeen).toBe('2026-03-01T10:00:00.000Z');
        expect(ada.lastSeen).toBe('2026-03-02T09:00:00.000Z');
        for (const identifier of [
          'anonymous_id:visitor-1',
          'anonymous_id:visitor-2',
          'email:ADA.lovelace@example.com',
          'email: ada.lovelace@EXAMPLE.com ',
          ada.id,
          ada.id.toUpperCase(),
        ]) {
          expect(await profile(identifier), identifier).toEqual(ada);
        }
      });

      it('answers a merged profile’s id with the profile it was merged into', async () => {
        const ada = await profile('user_id:42');
        expect(secondDeviceProfileId).not.toBe(ada.id);
        expect(ada.mergedFrom).toEqual([secondDeviceProfileId]);
        expect(await profile(secondDeviceProfileId)).toEqual(ada);
      });

      it('answers an unknown identifier with 404 problem+json', async () => {
        for (const identifier of ['user_id:nobody', randomUUID()]) {
          const response = await get(`/v1/profiles/${identifier}`);
          expect(response.status).toBe(404);
          expect(response.headers.get('content-type')).toBe(
            'application/problem+json; charset=utf-8',
          );
          expect(await response.json()).toMatchObject({
            status: 404,
            code: 'not_found',
            detail: `No profile for ${identifier}`,
          });
        }
      });

      it('refuses a malformed identifier with 400 problem+json', async () => {
        for (const identifier of ['cookie:abc', 'ada', 'email:not-an-address', 'user_id:%20']) {
          const response = await get(`/v1/profiles/${identifier}`);
          expect(response.status, identifier).toBe(400);
          expect(response.headers.get('content-type')).toBe(
            'application/problem+json; charset=utf-8',
          );
          expect(await response.json()).toMatchObject({ code: 'validation_failed' });
        }
      });
    });

    describe('timeline', () => {
      const streamsOfAda = ['user-42', 'anon-visitor-1', 'anon-visitor-2'];

      it('lists the events of every stream of the profile, newest first', async () => {
        const ada = await profile('user_id:42');
        const { events, next } = await getJson<{ events: RecordedEvent[]; next?: number }>(
          '/v1/profiles/user_id:42/events?limit=500',
        );
        expect(next).toBeUndefined();
        const expected = (await uspa.store.readAll({ maxCount: 10_000 }))
          .filter((event) => [...streamsOfAda, `profile-${ada.id}`].includes(event.streamId))
          .reverse();
        const shape = (event: RecordedEvent) => [event.position, event.streamId, event.type];
        expect(events.map(shape)).toEqual(expected.map(shape));
        // The merge decision lands wherever the projection appended it; the interactions in order.
        expect(events.filter((event) => event.type !== 'ProfilesMerged').map(shape)).toEqual(
          expected.filter((event) => event.type !== 'ProfilesMerged').map(shape),
        );
        expect(events.map((event) => `${event.streamId} ${event.type}`).toSorted()).toEqual([
          'anon-visitor-1 PageViewed',
          'anon-visitor-2 Tracked',
          `profile-${ada.id} ProfilesMerged`,
          'user-42 Identified',
          'user-42 Identified',
          'user-42 Tracked',
          'user-42 Tracked',
        ]);
      });

      it('pages with limit and before, without duplicates or gaps', async () => {
        const all = await getJson<{ events: RecordedEvent[] }>(
          '/v1/profiles/anonymous_id:visitor-1/events',
        );
        const paged: number[] = [];
        let path = '/v1/profiles/anonymous_id:visitor-1/events?limit=2';
        for (let pages = 1; ; pages++) {
          const page = await getJson<{ events: RecordedEvent[]; next?: number }>(path);
          expect(page.events.length).toBeLessThanOrEqual(2);
          paged.push(...page.events.map((event) => event.position));
          if (page.next === undefined) {
            expect(pages).toBe(4);
            break;
          }
          expect(page.next).toBe(page.events.at(-1)!.position);
          path = `/v1/profiles/anonymous_id:visitor-1/events?limit=2&before=${page.next}`;
        }
        expect(paged).toEqual(all.events.map((event) => event.position));
        expect(new Set(paged).size).toBe(7);
      });

      it('refuses a bad limit or cursor, and answers an unknown profile with 404', async () => {
        for (const query of ['limit=0', 'limit=501', 'limit=ten', 'before=-1', 'before=x']) {
          const response = await get(`/v1/profiles/user_id:42/events?${query}`);
          expect(response.status, query).toBe(400);
        }
        expect((await get('/v1/profiles/user_id:nobody/events')).status).toBe(404);
      });
    });

    describe('search', () => {
      it('finds profiles by text', async () => {
        expect(await search('q=lovelace')).toEqual(['Ada Lovelace']);
        expect(await search('q=grace%40example.com')).toEqual(['Grace Hopper']);
      });

      it('filters, with values that contain colons, and sorts', async () => {
        expect(await search('filter=identifiers:eq:user_id:42')).toEqual(['Ada Lovelace']);
        expect(await search('filter=ecommerce.orders:gte:1&sort=ecommerce.revenue:desc')).toEqual([
          'Ada Lovelace',
          'Linus Torvalds',
        ]);
        expect(await search('filter=traits.plan:eq:pro&filter=ecommerce.revenue:lt:50')).toEqual([
          'Linus Torvalds',
        ]);
        expect(await search('filter=identifiers:prefix:user_id:42')).toHaveLength(2);
        expect(await search('filter=lastSeen:gte:2026-03-01T12:30:00Z&sort=lastSeen')).toEqual([
          'Linus Torvalds',
          'Ada Lovelace',
        ]);
        expect(await search('filter=traits.plan:missing:')).toEqual([]);
        // Punctuation in the text is not query syntax: only the words count.
        expect(await search('q=%22lovelace%20(&filter=traits.email:exists:')).toEqual([
          'Ada Lovelace',
        ]);
        expect(await search('filter=traits.plan:in:free,pro&sort=lastSeen:asc')).toEqual([
          'Grace Hopper',
          'Linus Torvalds',
          'Ada Lovelace',
        ]);
      });

      it('pages with size and after', async () => {
        const first = await getJson<Page>('/v1/profiles?sort=ecommerce.revenue:asc&size=2');
        expect(first.total).toBe(3);
        expect(first.hits.map((hit) => hit.document.traits.name)).toEqual([
          'Grace Hopper',
          'Linus Torvalds',
        ]);
        const second = await getJson<Page>(
          `/v1/profiles?sort=ecommerce.revenue:asc&size=2&after=${encodeURIComponent(first.next!)}`,
        );
        expect(second.hits.map((hit) => hit.document.traits.name)).toEqual(['Ada Lovelace']);
        expect(second.next).toBeUndefined();
      });

      it('refuses a bad operator, an unknown field or a bad size with 400 problem+json', async () => {
        for (const query of [
          'filter=ecommerce.orders:near:1',
          'filter=traits.shoeSize:eq:42',
          'filter=search:eq:ada',
          'filter=ecommerce.orders:gte:many',
          'sort=traits.shoeSize:asc',
          'sort=lastSeen:sideways',
          'size=0',
          'size=1001',
          'size=ten',
          'q=a&q=b',
          'after=garbage',
          'sort=lastSeen:asc&after=WzFd',
          'filter=lastSeen:gte:yesterday',
        ]) {
          const response = await get(`/v1/profiles?${query}`);
          expect(response.status, query).toBe(400);
          expect(response.headers.get('content-type')).toBe(
            'application/problem+json; charset=utf-8',
          );
        }
      });
    });

    describe('keys', () => {
      it('wants a secret key with the profiles:read scope (or console, or admin)', async () => {
        const paths = ['/v1/profiles/user_id:42', '/v1/profiles/user_id:42/events', '/v1/profiles'];
        const secretKey = async (scopes: string[]) => {
          const created = await fetch(`${uspa.base}/v1/admin/keys`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: uspa.adminAuth },
            body: JSON.stringify({ type: 'secret', name: scopes.join() || 'none', scopes }),
          });
          return ((await created.json()) as { key: string }).key;
        };
        const noScopes = await secretKey([]);
        const consoleKey = await secretKey(['console']);
        for (const path of paths) {
          expect((await get(path, null)).status, path).toBe(401);
          expect((await get(path, uspa.writeAuth)).status, path).toBe(401);
          expect((await get(path, 'Bearer uspa_sk_unknown')).status, path).toBe(401);
          const forbidden = await get(path, `Bearer ${noScopes}`);
          expect(forbidden.status, path).toBe(403);
          expect(forbidden.headers.get('content-type')).toBe(
            'application/problem+json; charset=utf-8',
          );
          expect((await get(path, `Bearer ${consoleKey}`)).status, path).toBe(200);
          expect((await get(path, uspa.adminAuth)).status, path).toBe(200);
        }
      });
    });

    describe('a long history', () => {
      it('pages a timeline longer than one read of the log', async () => {
        const anonymousId = 'visitor-long';
        const response = await fetch(`${uspa.base}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
          body: JSON.stringify({
            batch: Array.from({ length: 250 }, (_, i) => ({
              type: 'page',
              anonymousId,
              name: `Page ${i}`,
              timestamp: new Date(Date.UTC(2026, 2, 3, 0, i)).toISOString(),
            })),
          }),
        });
        expect(response.status).toBe(200);
        await projected();
        const { events: stored } = await uspa.store.readStream(`anon-${anonymousId}`, {
          direction: 'backwards',
          maxCount: 1000,
        });
        expect(stored).toHaveLength(250);
        const paged: number[] = [];
        let before = '';
        for (let pages = 0; pages < 10; pages++) {
          const page = await getJson<{ events: RecordedEvent[]; next?: number }>(
            `/v1/profiles/anonymous_id:${anonymousId}/events?limit=60${before}`,
          );
          paged.push(...page.events.map((event) => event.position));
          if (page.next === undefined) break;
          before = `&before=${page.next}`;
        }
        expect(paged).toEqual(stored.map((event) => event.position));
        const last = await getJson<{ events: RecordedEvent[] }>(
          `/v1/profiles/anonymous_id:${anonymousId}/events?limit=5&before=${stored[247]!.position}`,
        );
        expect(last.events.map((event) => (event.data as { name: string }).name)).toEqual([
          'Page 1',
          'Page 0',
        ]);
      });
    });

    describe('split', () => {
      const split = (profileId: string, body: unknown, authorization = uspa.adminAuth) =>
        fetch(`${uspa.base}/v1/admin/profiles/${profileId}/split`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify(body),
        });

      it('refuses an identifier the profile does not have, or a malformed one', async () => {
        const ada = await profile('user_id:42');
        for (const body of [
          { identifier: 'user_id:420' },
          { identifier: 'cookie:1' },
          { identifier: 42 },
          {},
        ]) {
          const response = await split(ada.id, body);
          expect(response.status, JSON.stringify(body)).toBe(400);
          expect(response.headers.get('content-type')).toBe(
            'application/problem+json; charset=utf-8',
          );
        }
        expect(
          (await split(ada.id, { identifier: 'anonymous_id:visitor-2' }, readerAuth)).status,
        ).toBe(403);
        expect((await profile('user_id:42')).identifiers).toHaveLength(4);
      });

      it('detaches an anonymous id into a profile of its own', async () => {
        const ada = await profile('user_id:42');
        const response = await split(ada.id, { identifier: 'anonymous_id:visitor-2' });
        expect(response.status).toBe(200);
        const result = (await response.json()) as { newProfileId: string; applied: boolean };
        expect(result).toMatchObject({ profileId: ada.id, applied: true });

        const detached = await profile('anonymous_id:visitor-2');
        expect(detached.id).toBe(result.newProfileId);
        expect(detached.identifiers).toEqual(['anonymous_id:visitor-2']);
        expect(detached.counters).toEqual({
          total: 1,
          byType: { Tracked: 1 },
          byEvent: { 'Product Viewed': 1 },
        });
        expect(detached.ecommerce.orders).toBe(0);

        const rest = await profile('user_id:42');
        expect(rest.id).toBe(ada.id);
        expect(rest.identifiers.toSorted()).toEqual([
          'anonymous_id:visitor-1',
          'email:ada.lovelace@example.com',
          'user_id:42',
        ]);
        expect(rest.counters).toEqual({
          total: 5,
          byType: { PageViewed: 1, Tracked: 2, Identified: 2 },
          byEvent: { 'Order Completed': 2 },
        });
        expect(rest.ecommerce).toMatchObject({ orders: 2, revenue: 119.5 });
        expect(rest.splitFrom).toEqual([detached.id]);
        expect(await profile(detached.id)).toEqual(detached);
        expect(await search('filter=identifiers:eq:anonymous_id:visitor-2')).toHaveLength(1);
      });
    });
  });
}
