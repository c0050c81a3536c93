import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/uspa-test-server.js';

let uspa: TestServer;
beforeAll(async () => {
  uspa = await startTestServer();
});
afterAll(() => uspa.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${uspa.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: uspa.writeAuth, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const streamEvents = async (streamId: string) => (await uspa.store.readStream(streamId)).events;

describe('tracking API', () => {
  it('stores a track call with the caller’s fields, receivedAt and source', async () => {
    const userId = `u-${randomUUID()}`;
    const response = await post('/v1/track', {
      userId,
      event: 'Order Completed',
      messageId: 'm-1',
      properties: { total: 42.5 },
      context: { ip: '81.2.69.160', locale: 'en-GB' },
      timestamp: '2026-11-29T10:00:00.000Z',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
    const [event] = await streamEvents(`user-${userId}`);
    expect(event?.type).toBe('Tracked');
    expect(event?.data).toMatchObject({
      messageId: 'm-1',
      userId,
      event: 'Order Completed',
      properties: { total: 42.5 },
      context: { ip: '81.2.69.160', locale: 'en-GB' },
      timestamp: '2026-11-29T10:00:00.000Z',
    });
    expect(event?.metadata).toMatchObject({ channel: 'http', schemaVersion: 1 });
    expect(typeof (event?.data as { receivedAt: string }).receivedAt).toBe('string');
  });

  it('stores what the built-in enrichment plugins derived', async () => {
    const anonymousId = `a-${randomUUID()}`;
    await post('/v1/page', {
      anonymousId,
      name: 'Cake tins',
      context: {
        ip: '81.2.69.160',
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
        page: {
          url: 'https://shop.example/kitchen/cake-tins?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
          title: 'Set of 3 cake tins',
        },
      },
    });
    const [event] = await streamEvents(`anon-${anonymousId}`);
    const { enrichment } = event?.data as { enrichment: Record<string, Record<string, unknown>> };
    expect(enrichment.geo).toMatchObject({ country: 'GB' });
    expect(enrichment.device).toMatchObject({
      deviceType: 'mobile',
      isBot: false,
      os: { name: 'iOS' },
    });
    expect(enrichment.campaign).toMatchObject({
      source: 'newsletter',
      medium: 'email',
      name: 'spring',
      channel: 'email',
    });
    expect(enrichment.topics).toContain('kitchen');
  });

  it('maps every call to its event type and stream, short paths included', async () => {
    const anonymousId = `a-${randomUUID()}`;
    const userId = `u-${randomUUID()}`;
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/page', { anonymousId, name: 'Pricing' }],
      ['/v1/s', { anonymousId, name: 'Home' }],
      ['/v1/identify', { anonymousId, userId, traits: { email: 'ada@example.com' } }],
      ['/v1/g', { userId, groupId: 'acme' }],
      ['/v1/alias', { userId, previousId: anonymousId }],
      ['/v1/t', { userId, event: 'Signed Up' }],
    ];
    for (const [path, body] of calls) expect((await post(path, body)).status).toBe(200);
    expect((await streamEvents(`anon-${anonymousId}`)).map((e) => e.type)).toEqual([
      'PageViewed',
      'ScreenViewed',
    ]);
    expect((await streamEvents(`user-${userId}`)).map((e) => e.type)).toEqual([
      'Identified',
      'GroupAssociated',
      'Aliased',
      'Tracked',
    ]);
  });

  it('stores the good messages of a batch and lists the bad one', async () => {
    const userId = `u-${randomUUID()}`;
    const response = await post('/v1/batch', {
      batch: [
        { type: 'track', userId, event: 'A', messageId: `${userId}-1` },
        { type: 'track', event: 'No identity', messageId: `${userId}-2` },
        { type: 'identify', userId, traits: { plan: 'pro' }, messageId: `${userId}-3` },
      ],
      context: { library: { name: 'test' } },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      success: true,
      rejected: [
        {
          index: 1,
          messageId: `${userId}-2`,
          reason: 'missing_identity',
          detail: 'A message needs a userId or an anonymousId',
        },
      ],
    });
    const events = await streamEvents(`user-${userId}`);
    expect(events.map((e) => e.type)).toEqual(['Tracked', 'Identified']);
    expect((events[0]?.data as { context: unknown }).context).toMatchObject({
      library: { name: 'test' },
    });
    const dead = await uspa.store.readStream('deadletter-ingestion', {
      direction: 'backwards',
      maxCount: 1,
    });
    expect(dead.events[0]?.data).toMatchObject({
      reason: 'missing_identity',
      messageId: `${userId}-2`,
    });
  });

  it('stores a retried batch once', async () => {
    const userId = `u-${randomUUID()}`;
    const batch = {
      batch: [1, 2, 3].map((n) => ({ type: 'track', userId, event: 'E', messageId: `r-${n}` })),
    };
    expect((await post('/v1/batch', batch)).status).toBe(200);
    expect((await post('/v1/batch', batch)).status).toBe(200);
    expect(await streamEvents(`user-${userId}`)).toHaveLength(3);
  });

  it('corrects the sender’s clock skew from sentAt', async () => {
    const userId = `u-${randomUUID()}`;
    // The sender's clock runs an hour ahead: its event happened 5 s before it sent the batch.
    const ahead = Date.now() + 3_600_000;
    await post('/v1/batch', {
      sentAt: new Date(ahead).toISOString(),
      batch: [
        { type: 'track', userId, event: 'E', timestamp: new Date(ahead - 5000).toISOString() },
      ],
    });
    const [event] = await streamEvents(`user-${userId}`);
    const data = event?.data as {
      timestamp: string;
      receivedAt: string;
      originalTimestamp: string;
    };
    const corrected = new Date(data.timestamp).getTime();
    expect(new Date(data.receivedAt).getTime() - corrected).toBe(5000);
    expect(data.originalTimestamp).toBe(new Date(ahead - 5000).toISOString());
  });

  it('accepts text/plain bodies with the write key in the body (sendBeacon)', async () => {
    const anonymousId = `a-${randomUUID()}`;
    const response = await fetch(`${uspa.base}/v1/p`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        anonymousId,
        name: 'Beacon',
        writeKey: 'uspa_wk_test_write_key_0123456789',
      }),
    });
    expect(response.status).toBe(200);
    expect(await streamEvents(`anon-${anonymousId}`)).toHaveLength(1);
  });
});

describe('write keys', () => {
  it('refuses a call without a key, or with an unknown one, with 401 problem+json', async () => {
    for (const auth of [undefined, `Basic ${Buffer.from('nope:').toString('base64')}`]) {
      const response = await fetch(`${uspa.base}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth && { authorization: auth }) },
        body: JSON.stringify({ userId: 'x', event: 'E' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'unauthorized', status: 401 });
    }
  });

  it('creates a write key through the admin API, collects with it, then revokes it', async () => {
    const created = await fetch(`${uspa.base}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: uspa.adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'write',
        name: 'shop',
        allowedOrigins: ['https://shop.example'],
      }),
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; secretHash?: string };
    expect(key.key).toMatch(/^uspa_wk_/);
    expect(key.secretHash).toBeUndefined();
    const auth = `Basic ${Buffer.from(`${key.key}:`).toString('base64')}`;
    const body = { userId: 'k-1', event: 'E' };
    expect(
      (
        await post('/v1/track', body, { authorization: auth, origin: 'https://shop.example' })
      ).headers.get('access-control-allow-origin'),
    ).toBe('https://shop.example');
    const foreign = await post('/v1/track', body, {
      authorization: auth,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'origin_not_allowed' });

    const revoked = await fetch(`${uspa.base}/v1/admin/keys/${key.id}`, {
      method: 'DELETE',
      headers: { authorization: uspa.adminAuth },
    });
    expect(revoked.status).toBe(200);
    expect((await post('/v1/track', body, { authorization: auth })).status).toBe(401);
  });

  it('answers a CORS preflight', async () => {
    const response = await fetch(`${uspa.base}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('keeps admin routes for secret keys only', async () => {
    const response = await fetch(`${uspa.base}/v1/admin/keys`, {
      headers: { authorization: uspa.writeAuth },
    });
    expect(response.status).toBe(401);
  });
});

describe('webhooks', () => {
  it('stores any JSON body as WebhookReceived, once per delivery id', async () => {
    const source = `crm${randomUUID().slice(0, 8)}`;
    for (let n = 0; n < 2; n++) {
      const response = await post(
        `/v1/webhooks/${source}`,
        { contact: { id: 7 } },
        { 'x-request-id': 'delivery-1' },
      );
      expect(response.status).toBe(200);
    }
    const events = await streamEvents(`webhook-${source}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'WebhookReceived',
      data: { source, deliveryId: 'delivery-1', body: { contact: { id: 7 } } },
    });
  });
});

describe('tracking plans', () => {
  it('blocks or annotates events that break the plan', async () => {
    const plan = (mode: string) =>
      fetch(`${uspa.base}/v1/admin/tracking-plans/shop`, {
        method: 'PUT',
        headers: { authorization: uspa.adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify({
          mode,
          events: {
            'Order Completed': {
              type: 'object',
              required: ['total'],
              properties: { total: { type: 'number' } },
            },
          },
        }),
      });
    expect((await plan('block')).status).toBe(200);
    const userId = `u-${randomUUID()}`;
    const blocked = await post('/v1/batch', {
      batch: [
        { type: 'track', userId, event: 'Order Completed', properties: { total: 'ten' } },
        { type: 'track', userId, event: 'Order Completed', properties: { total: 10 } },
      ],
    });
    expect(((await blocked.json()) as { rejected: unknown[] }).rejected).toEqual([
      expect.objectContaining({ index: 0, reason: 'tracking_plan_violation' }),
    ]);
    expect(await streamEvents(`user-${userId}`)).toHaveLength(1);

    expect((await plan('annotate')).status).toBe(200);
    await post('/v1/track', { userId, event: 'Order Completed', properties: {} });
    const events = await streamEvents(`user-${userId}`);
    expect(events).toHaveLength(2);
    expect((events[1]?.data as { enrichment: unknown }).enrichment).toMatchObject({
      trackingPlan: {
        planId: 'shop',
        violations: ["properties must have required property 'total'"],
      },
    });
    await fetch(`${uspa.base}/v1/admin/tracking-plans/shop`, {
      method: 'DELETE',
      headers: { authorization: uspa.adminAuth },
    });
  });
});
