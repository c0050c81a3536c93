import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollectorStub, type CollectorStub } from '../testing/collector-stub.js';
import { UspaClient, type UspaDeliveryError } from './uspa-client.js';

const WRITE_KEY = 'uspa_wk_node_client_test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UspaClient against a local HTTP server', () => {
  let collector: CollectorStub;
  let errors: UspaDeliveryError[];

  beforeEach(async () => {
    collector = await startCollectorStub();
    errors = [];
  });
  afterEach(() => collector.close());

  const client = (options: Partial<ConstructorParameters<typeof UspaClient>[0]> = {}) =>
    new UspaClient({
      writeKey: WRITE_KEY,
      host: `${collector.url}/`,
      retryBaseMs: 10,
      onError: (error) => errors.push(error),
      ...options,
    });

  it('sends flushAt calls as one batch with ids, timestamps, library and the write key', async () => {
    const uspa = client({ flushAt: 3 });
    const ids = [
      uspa.identify({ userId: 'user-42', traits: { plan: 'pro' } }),
      uspa.track({ userId: 'user-42', event: 'Order Completed', properties: { total: 42 } }),
      uspa.page({
        anonymousId: 'anon-1',
        name: 'Pricing',
        timestamp: new Date('2026-01-02T03:04:05Z'),
      }),
    ];

    const messages = await collector.waitFor((delivered) => delivered.length === 3);

    expect(collector.batches).toHaveLength(1);
    const [batch] = collector.batches;
    expect(batch?.body.writeKey).toBe(WRITE_KEY);
    expect(batch?.authorization).toBe(`Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`);
    expect(batch?.contentType).toBe('application/json');
    expect(messages.map((message) => message.messageId)).toEqual(ids);
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect(messages[0]).toMatchObject({
      type: 'identify',
      userId: 'user-42',
      traits: { plan: 'pro' },
    });
    expect(messages[1]).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      properties: { total: 42 },
    });
    expect(messages[2]).toMatchObject({ type: 'page', anonymousId: 'anon-1', name: 'Pricing' });
    expect(messages[2]?.timestamp).toBe('2026-01-02T03:04:05.000Z');
    expect(messages[0]?.context).toEqual({ library: { name: 'uspa-node', version: '0.1.0' } });
  });

  it('sends after flushIntervalMs without reaching flushAt', async () => {
    const uspa = client({ flushAt: 100, flushIntervalMs: 50 });
    uspa.group({ userId: 'user-42', groupId: 'acme', traits: { employees: 120 } });
    uspa.alias({ userId: 'user-42', previousId: 'legacy-7' });

    const messages = await collector.waitFor((delivered) => delivered.length === 2, 2000);
    expect(messages.map((message) => message.type)).toEqual(['group', 'alias']);
    expect(messages[1]).toMatchObject({ userId: 'user-42', previousId: 'legacy-7' });
  });

  it.each([503, 429])('retries a batch answered %i, with the same message ids', async (status) => {
    collector.respondWith(status);
    const uspa = client();
    const id = uspa.track({ anonymousId: 'anon-1', event: 'Viewed' });
    await uspa.flush();

    expect(collector.batches.map((batch) => batch.status)).toEqual([status, 200]);
    expect(collector.batches.map((batch) => batch.body.batch[0]?.messageId)).toEqual([id, id]);
    expect(errors).toEqual([]);
  });

  it('does not retry a batch answered 400 and reports it', async () => {
    collector.respondWith(400);
    const uspa = client();
    uspa.track({ anonymousId: 'anon-1', event: 'Bad' });
    await uspa.flush();

    expect(collector.batches).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.status).toBe(400);
    expect(errors[0]?.messages.map((message) => message.event)).toEqual(['Bad']);
  });

  it('gives up after maxRetries and reports the batch', async () => {
    collector.respondWith(503, 503, 503);
    const uspa = client({ maxRetries: 2 });
    uspa.track({ anonymousId: 'anon-1', event: 'Lost' });
    await uspa.flush();

    expect(collector.batches).toHaveLength(3);
    expect(errors[0]?.message).toMatch(/failed after 3 attempts: 503/);
  });

  it('retries when the server cannot be reached', async () => {
    const url = collector.url;
    await collector.close();
    const uspa = new UspaClient({
      writeKey: WRITE_KEY,
      host: url,
      maxRetries: 1,
      retryBaseMs: 10,
      onError: (error) => errors.push(error),
    });
    uspa.track({ anonymousId: 'anon-1', event: 'Offline' });
    await uspa.flush();

    expect(errors[0]?.message).toMatch(/failed after 2 attempts: .*ECONNREFUSED/);
    collector = await startCollectorStub(); // for afterEach
  });

  it('flushes on close and refuses calls afterwards', async () => {
    const uspa = client({ flushAt: 100, flushIntervalMs: 60_000 });
    uspa.track({ userId: 'user-42', event: 'Last Words' });
    await uspa.close();

    expect(collector.delivered().map((message) => message.event)).toEqual(['Last Words']);
    expect(() => uspa.track({ userId: 'user-42', event: 'Too Late' })).toThrow(/closed/);
  });

  it('splits a queue larger than 500 KB into several requests', async () => {
    const uspa = client({ flushAt: 1000 });
    const padding = 'x'.repeat(30_000);
    for (let i = 0; i < 20; i++)
      uspa.track({ anonymousId: 'anon-1', event: `E${i}`, properties: { padding } });
    await uspa.flush();

    expect(collector.batches.length).toBe(2);
    expect(collector.delivered().map((message) => message.event)).toEqual(
      Array.from({ length: 20 }, (_, i) => `E${i}`),
    );
  });

  it('refuses a call without an id and one over 32 KB', () => {
    const uspa = client();
    expect(() => uspa.track({ event: 'Nobody' } as never)).toThrow(TypeError);
    const huge = { padding: 'x'.repeat(40_000) };
    expect(() => uspa.track({ userId: 'u', event: 'Huge', properties: huge })).toThrow(/32 KB/);
  });
});
