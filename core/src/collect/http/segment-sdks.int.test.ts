import { randomUUID } from 'node:crypto';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../ports/event-store.port.js';
import {
  startTestServer,
  TEST_WRITE_KEY,
  type TestServer,
} from '../../testing/uspa-test-server.js';

/**
 * The real server-side tracking libraries of Segment and RudderStack, pointed at a running USPA:
 * what they send must be stored as the events their calls describe, and a replayed batch must
 * not be stored twice.
 */

let uspa: TestServer;
beforeAll(async () => {
  uspa = await startTestServer();
});
afterAll(() => uspa.stop());

type Data = Record<string, unknown> & {
  messageId: string;
  context: { library?: { name?: string } };
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
};

const streamEvents = async (streamId: string): Promise<RecordedEvent<Data>[]> =>
  (await uspa.store.readStream(streamId, { maxCount: 1000 })).events as RecordedEvent<Data>[];

const countAll = async (): Promise<number> =>
  (await uspa.store.readAll({ maxCount: 10_000_000 })).length;

/** The calls every library makes, the same for both so their results compare alike. */
interface Calls {
  identify(userId: string, traits: Record<string, unknown>): void;
  track(userId: string, event: string, properties: Record<string, unknown>): void;
  page(userId: string, name: string, properties: Record<string, unknown>): void;
  group(userId: string, groupId: string, traits: Record<string, unknown>): void;
  alias(userId: string, previousId: string): void;
}

function sendTheCalls(client: Calls, userId: string, anonymousId: string): void {
  client.identify(userId, { email: 'ada@example.com', plan: 'pro' });
  client.track(userId, 'Order Completed', {
    orderId: 'o-1',
    total: 42.5,
    products: [{ sku: 'SKU-1', qty: 2 }],
  });
  client.page(userId, 'Pricing', { url: 'https://example.com/pricing?utm_source=news' });
  client.group(userId, 'acme', { name: 'Acme Ltd', employees: 12 });
  client.alias(userId, anonymousId);
}

async function expectTheEvents(userId: string, anonymousId: string, library: string) {
  const events = await streamEvents(`user-${userId}`);
  expect(events.map((e) => e.type)).toEqual([
    'Identified',
    'Tracked',
    'PageViewed',
    'GroupAssociated',
    'Aliased',
  ]);
  for (const event of events) {
    expect(typeof event.data.messageId).toBe('string');
    expect(event.data.messageId.length).toBeGreaterThan(0);
    expect(event.data.userId).toBe(userId);
    expect(event.data.context.library?.name).toBe(library);
    expect(typeof event.data.timestamp).toBe('string');
  }
  const [identified, tracked, page, group, alias] = events.map((e) => e.data);
  expect(identified?.traits).toMatchObject({ email: 'ada@example.com', plan: 'pro' });
  expect(tracked).toMatchObject({
    event: 'Order Completed',
    properties: { orderId: 'o-1', total: 42.5, products: [{ sku: 'SKU-1', qty: 2 }] },
  });
  expect(page).toMatchObject({
    name: 'Pricing',
    properties: { url: 'https://example.com/pricing?utm_source=news' },
  });
  expect(group).toMatchObject({ groupId: 'acme', traits: { name: 'Acme Ltd', employees: 12 } });
  expect(alias).toMatchObject({ previousId: anonymousId });
  return events;
}

/** Replays a captured request byte for byte, as a client retrying after a lost response would. */
async function replay(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${uspa.base}/v1/batch`, { method: 'POST', headers, body });
}

describe('@segment/analytics-node against USPA', () => {
  it('stores identify, track, page, group and alias as their events, a replay once', async () => {
    const sent: { body: string; headers: Record<string, string> }[] = [];
    const analytics = new SegmentAnalytics({
      writeKey: TEST_WRITE_KEY,
      host: uspa.base,
      path: '/v1/batch',
      flushAt: 2,
      flushInterval: 20,
      maxRetries: 1,
      httpClient: async (url, init) => {
        sent.push({ body: init.body, headers: init.headers });
        return fetch(url, init);
      },
    });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    const userId = `seg-${randomUUID()}`;
    const anonymousId = `anon-${randomUUID()}`;
    sendTheCalls(
      {
        identify: (id, traits) => analytics.identify({ userId: id, traits }),
        track: (id, event, properties) => analytics.track({ userId: id, event, properties }),
        page: (id, name, properties) => analytics.page({ userId: id, name, properties }),
        group: (id, groupId, traits) => analytics.group({ userId: id, groupId, traits }),
        alias: (id, previousId) => analytics.alias({ userId: id, previousId }),
      },
      userId,
      anonymousId,
    );
    await analytics.closeAndFlush({ timeout: 5000 });
    expect(errors).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    const events = await expectTheEvents(userId, anonymousId, '@segment/analytics-node');

    const before = await countAll();
    for (const request of sent) {
      const response = await replay(request.body, request.headers);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: true });
    }
    expect(await countAll()).toBe(before);
    expect((await streamEvents(`user-${userId}`)).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });
});

describe('@rudderstack/rudder-sdk-node against USPA', () => {
  const rudderAuth = `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`;

  it('stores identify, track, page, group and alias as their events, a replay once', async () => {
    const sent: unknown[] = [];
    const errors: unknown[] = [];
    const analytics = new RudderAnalytics(TEST_WRITE_KEY, {
      dataPlaneUrl: uspa.base,
      flushAt: 2,
      flushInterval: 20,
      retryCount: 0,
      gzip: false,
      logLevel: 'error',
      errorHandler: (error: unknown) => errors.push(error),
    });
    const userId = `rud-${randomUUID()}`;
    const anonymousId = `anon-${randomUUID()}`;
    // Each call's callback gets the batch it went out in: the exact body, to replay it later.
    const remember = (...args: unknown[]) => {
      const [error, data] = args;
      if (error) errors.push(error);
      else if (data !== undefined && !sent.includes(data)) sent.push(data);
    };
    sendTheCalls(
      {
        identify: (id, traits) =>
          analytics.identify({ userId: id, traits: traits as never }, remember),
        track: (id, event, properties) =>
          analytics.track({ userId: id, event, properties: properties as never }, remember),
        page: (id, name, properties) =>
          analytics.page({ userId: id, name, properties: properties as never }, remember),
        group: (id, groupId, traits) =>
          analytics.group({ userId: id, groupId, traits: traits as never }, remember),
        alias: (id, previousId) => analytics.alias({ userId: id, previousId }, remember),
      },
      userId,
      anonymousId,
    );
    await analytics.flush();
    await expect.poll(() => sent.length + errors.length, { timeout: 5000 }).toBeGreaterThan(2);
    await expect
      .poll(async () => (await streamEvents(`user-${userId}`)).length, { timeout: 5000 })
      .toBe(5);
    expect(errors).toEqual([]);
    const events = await expectTheEvents(userId, anonymousId, 'analytics-node');

    const before = await countAll();
    for (const data of sent) {
      const response = await replay(JSON.stringify(data), {
        'content-type': 'application/json',
        authorization: rudderAuth,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: true });
    }
    expect(await countAll()).toBe(before);
    expect((await streamEvents(`user-${userId}`)).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  // rudder-sdk-node gzips by default (`Content-Encoding: gzip`), and axios labels the compressed
  // body `application/x-www-form-urlencoded`: the library's default settings must work too.
  it('accepts the library’s default gzip-compressed batches', async () => {
    const errors: unknown[] = [];
    const analytics = new RudderAnalytics(TEST_WRITE_KEY, {
      dataPlaneUrl: uspa.base,
      flushAt: 1,
      flushInterval: 20,
      retryCount: 0,
      logLevel: 'error',
      errorHandler: (error: unknown) => errors.push(error),
    });
    const userId = `rudgz-${randomUUID()}`;
    analytics.track({ userId, event: 'Compressed', properties: { ok: true } });
    await expect
      .poll(async () => errors.length + (await streamEvents(`user-${userId}`)).length, {
        timeout: 5000,
      })
      .toBeGreaterThan(0);
    expect(
      errors.map((error) => (error as { response?: { status: number } }).response?.status),
    ).toEqual([]);
    expect((await streamEvents(`user-${userId}`)).map((e) => e.type)).toEqual(['Tracked']);
  });
});
