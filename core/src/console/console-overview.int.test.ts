import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../testing/uspa-test-server.js';
import { asConsole, createKey, signedInCookie } from './console-session.fixture.js';
import type { Overview } from './console-overview.js';

let uspa: TestServer;

beforeAll(async () => {
  uspa = await startTestServer();
});

afterAll(async () => {
  await uspa.stop();
});

async function batch(messages: Record<string, unknown>[]): Promise<{ rejected?: unknown[] }> {
  const response = await fetch(`${uspa.base}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
    body: JSON.stringify({ batch: messages }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { rejected?: unknown[] };
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${uspa.base}${path}`, {
    method,
    headers: {
      authorization: uspa.adminAuth,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const stats = async (): Promise<Overview> =>
  (await admin('GET', '/v1/admin/stats')).body as unknown as Overview;

/** Waits for the next minute when the current one ends within `marginMs`: counts stay in one. */
async function clearOfMinuteEnd(marginMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('GET /v1/admin/stats', () => {
  it('counts tracked events by type and name, per minute, with rejections and projections', async () => {
    await clearOfMinuteEnd();
    const track = (userId: string, event: string) => ({ type: 'track', userId, event });
    const answer = await batch([
      track('ada', 'Order Completed'),
      track('bob', 'Order Completed'),
      track('cy', 'Order Completed'),
      track('ada', 'Product Viewed'),
      track('bob', 'Product Viewed'),
      { type: 'page', userId: 'ada', name: 'Pricing' },
      { type: 'track', event: 'Nobody Did This' },
    ]);
    expect(answer.rejected).toHaveLength(1);

    const overview = await stats();
    expect(overview.events.byType).toMatchObject({
      Tracked: 5,
      PageViewed: 1,
      IngestionRejected: 1,
    });
    expect(overview.events.total).toBe(
      Object.values(overview.events.byType).reduce((sum, count) => sum + count, 0),
    );
    expect(overview.topEventNames).toEqual([
      { name: 'Order Completed', count: 3 },
      { name: 'Product Viewed', count: 2 },
      { name: 'Pricing', count: 1 },
    ]);
    expect(overview.perMinute).toHaveLength(60);
    const now = Date.now();
    expect(overview.perMinute.at(-1)).toEqual({
      minute: new Date(now - (now % 60_000)).toISOString(),
      count: 6,
    });
    expect(overview.perMinute[0]!.minute).toBe(
      new Date(now - (now % 60_000) - 59 * 60_000).toISOString(),
    );
    expect(overview.perMinute.slice(0, -1).every((minute) => minute.count === 0)).toBe(true);
    expect(overview.rejections).toEqual({ total: 1 });
    expect(overview.deadLetters).toEqual({ projections: 0, plugins: 0 });
    expect(overview.projections.map((projection) => projection.name)).toContain('profiles');
    for (const projection of overview.projections) {
      expect(projection).toEqual({
        name: expect.any(String) as string,
        lagEvents: expect.any(Number) as number,
        lagSeconds: expect.any(Number) as number,
        state: expect.any(String) as string,
      });
    }

    // One answer serves every console for 2 s; then the new events show.
    await batch([track('dee', 'Order Completed')]);
    expect((await stats()).events.total).toBe(overview.events.total);
    const later = await eventually(stats, (s) => s.events.total > overview.events.total, 5000);
    expect(later.events.byType.Tracked).toBe(6);
    expect(later.topEventNames[0]).toEqual({ name: 'Order Completed', count: 4 });
  });

  it('answers consoles and admin keys only', async () => {
    const cookie = await signedInCookie(uspa, TEST_ADMIN_KEY);
    expect((await asConsole(uspa, '/v1/admin/stats', cookie)).status).toBe(200);
    expect((await fetch(`${uspa.base}/v1/admin/stats`)).status).toBe(401);
    const reader = await createKey(uspa, { type: 'secret', scopes: ['profiles:read'] });
    const forbidden = await fetch(`${uspa.base}/v1/admin/stats`, {
      headers: { authorization: `Bearer ${reader.key}` },
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('GET /v1/content-rules/resolve', () => {
  it("resolves a profile's content from its segments and the page", async () => {
    expect(
      (
        await admin('POST', '/v1/segments', {
          id: 'pro-users',
          name: 'Pro users',
          condition: { property: 'traits.plan', op: 'equals', value: 'pro' },
        })
      ).status,
    ).toBe(201);
    const upsell = await admin('POST', '/v1/content-rules', {
      name: 'Pro upsell',
      slot: 'hero',
      segmentId: 'pro-users',
      urlPattern: '/pricing*',
      content: { title: 'Go Pro' },
      priority: 10,
    });
    expect(upsell.status).toBe(201);
    const fallback = await admin('POST', '/v1/content-rules', {
      name: 'Everyone',
      slot: 'banner',
      content: { text: 'Welcome' },
    });
    await batch([{ type: 'identify', userId: 'erin', traits: { plan: 'pro' } }]);
    await eventually(
      () => admin('GET', '/v1/profiles/user_id:erin'),
      (profile) => (profile.body.segments as string[] | undefined)?.includes('pro-users') === true,
    );

    const resolved = await admin(
      'GET',
      `/v1/content-rules/resolve?profile=user_id:erin&url=${encodeURIComponent('https://shop.example/pricing?plan=pro')}`,
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({
      profileId: expect.any(String) as string,
      segments: ['pro-users'],
      slots: {
        hero: { ruleId: upsell.body.id, name: 'Pro upsell', content: { title: 'Go Pro' } },
        banner: { ruleId: fallback.body.id, name: 'Everyone', content: { text: 'Welcome' } },
      },
    });
    const elsewhere = await admin(
      'GET',
      '/v1/content-rules/resolve?profile=user_id:erin&url=/blog',
    );
    expect(Object.keys(elsewhere.body.slots as object)).toEqual(['banner']);

    const unknown = await admin('GET', '/v1/content-rules/resolve?profile=user_id:nobody&url=/');
    expect(unknown.status).toBe(404);
    expect((await admin('GET', '/v1/content-rules/resolve?url=/')).status).toBe(400);
    // The rules API is unchanged around it.
    expect((await admin('GET', `/v1/content-rules/${String(upsell.body.id)}`)).body.name).toBe(
      'Pro upsell',
    );
  });
});
