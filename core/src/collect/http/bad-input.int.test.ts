import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/uspa-test-server.js';

let uspa: TestServer;
beforeAll(async () => {
  uspa = await startTestServer();
});
afterAll(() => uspa.stop());

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetch(`${uspa.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: uspa.writeAuth, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });

interface ProblemBody {
  status: number;
  code: string;
  rejected?: { index: number; reason: string; messageId?: string }[];
}

/** Every 4xx of the tracking API is an RFC 9457 problem document with a stable code. */
async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as ProblemBody;
  expect(problem).toMatchObject({ status, code });
}

/** Every event of the log, dead letters included: "nothing written" means this did not move. */
const countAll = async (): Promise<number> =>
  (await uspa.store.readAll({ maxCount: 10_000_000 })).length;

const streamEvents = async (streamId: string) => (await uspa.store.readStream(streamId)).events;

const track = (userId: string, n: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  userId,
  event: 'Bad Input Probe',
  messageId: `${userId}-${n}`,
  properties: { n },
  ...extra,
});

describe('tracking API refuses bad input', () => {
  it('answers malformed JSON with 400 malformed_json and writes nothing', async () => {
    const before = await countAll();
    await expectProblem(
      await post('/v1/track', '{"userId": "u1", "event": '),
      400,
      'malformed_json',
    );
    await expectProblem(await post('/v1/batch', '{"batch": [}'), 400, 'malformed_json');
    expect(await countAll()).toBe(before);
  });

  it('answers another content type with 415', async () => {
    const before = await countAll();
    const response = await post('/v1/track', JSON.stringify({ userId: 'u1', event: 'X' }), {
      'content-type': 'application/xml',
    });
    await expectProblem(response, 415, 'unsupported_media_type');
    expect(await countAll()).toBe(before);
  });

  it('refuses a single call without any identity with missing_identity', async () => {
    const response = await post('/v1/track', {
      event: 'Anonymous nobody',
      messageId: randomUUID(),
    });
    await expectProblem(response, 400, 'missing_identity');
  });

  it('lists an oversize event of a batch as event_too_large and stores the others', async () => {
    const userId = `u-${randomUUID()}`;
    const response = await post('/v1/batch', {
      batch: [
        track(userId, 1),
        track(userId, 2, { properties: { blob: 'x'.repeat(33 * 1024) } }),
        track(userId, 3),
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ProblemBody & { success: boolean };
    expect(body.success).toBe(true);
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 1, messageId: `${userId}-2`, reason: 'event_too_large' }),
    ]);
    const stored = await streamEvents(`user-${userId}`);
    expect(stored.map((e) => (e.data as { messageId: string }).messageId)).toEqual([
      `${userId}-1`,
      `${userId}-3`,
    ]);
  });

  it('answers a request over 500 KB with 413 and writes nothing', async () => {
    const userId = `u-${randomUUID()}`;
    const before = await countAll();
    // 40 events of ~13 KB: each is under the per-event limit, the request is over 500 KB.
    const batch = Array.from({ length: 40 }, (_, n) =>
      track(userId, n, { properties: { blob: 'y'.repeat(13 * 1024) } }),
    );
    const body = JSON.stringify({ batch });
    expect(body.length).toBeGreaterThan(500 * 1024);
    await expectProblem(await post('/v1/batch', body), 413, 'payload_too_large');
    expect(await countAll()).toBe(before);
    expect(await streamEvents(`user-${userId}`)).toEqual([]);
  });

  it('answers a batch of more than 2,500 events with too_many_events and writes nothing', async () => {
    const userId = `u-${randomUUID()}`;
    const before = await countAll();
    const batch = Array.from({ length: 2501 }, (_, n) => ({
      type: 'track',
      userId,
      event: 'E',
      messageId: `${userId}-${n}`,
    }));
    await expectProblem(await post('/v1/batch', { batch }), 400, 'too_many_events');
    expect(await countAll()).toBe(before);
  });

  it('rejects deep nesting with too_deeply_nested', async () => {
    let nested: Record<string, unknown> = { leaf: true };
    for (let depth = 0; depth < 100; depth++) nested = { child: nested };
    const userId = `u-${randomUUID()}`;
    await expectProblem(
      await post('/v1/track', { userId, event: 'Deep', properties: nested }),
      400,
      'too_deeply_nested',
    );
    const response = await post('/v1/batch', {
      batch: [track(userId, 1, { properties: nested }), track(userId, 2)],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ProblemBody;
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 0, reason: 'too_deeply_nested' }),
    ]);
    expect(await streamEvents(`user-${userId}`)).toHaveLength(1);
  });

  it('stores a message with __proto__ and constructor keys without polluting prototypes', async () => {
    const userId = `u-${randomUUID()}`;
    // Raw text: JSON.stringify of an object literal would drop the __proto__ key.
    const body = `{
      "userId": "${userId}",
      "event": "Pollution Attempt",
      "messageId": "${userId}-p",
      "__proto__": { "polluted": "top" },
      "properties": {
        "__proto__": { "polluted": "properties" },
        "constructor": { "prototype": { "polluted": "constructor" } },
        "safe": 1
      },
      "context": { "__proto__": { "polluted": "context" } }
    }`;
    const single = await post('/v1/track', body);
    expect(single.status).toBe(200);
    const batch = await post(
      '/v1/batch',
      `{"batch": [{"type": "track", "userId": "${userId}", "event": "Batched", "messageId": "${userId}-b",
        "properties": {"__proto__": {"polluted": "batch"}, "ok": true}}],
        "context": {"__proto__": {"polluted": "batch-context"}}}`,
    );
    expect(batch.status).toBe(200);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const stored = await streamEvents(`user-${userId}`);
    expect(stored.map((e) => e.type)).toEqual(['Tracked', 'Tracked']);
    for (const event of stored) {
      const data = event.data as Record<string, Record<string, unknown>>;
      for (const part of [data, data.properties!, data.context!]) {
        expect(Object.prototype.hasOwnProperty.call(part, '__proto__')).toBe(false);
        expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
        expect((part as { polluted?: unknown }).polluted).toBeUndefined();
      }
    }
    expect((stored[0]?.data as { properties: Record<string, unknown> }).properties).toMatchObject({
      safe: 1,
    });
  });

  it.each(['yesterday', '2026-13-45T99:00:00Z'])(
    'refuses the timestamp %j with invalid_timestamp',
    async (timestamp) => {
      const userId = `u-${randomUUID()}`;
      await expectProblem(
        await post('/v1/track', { userId, event: 'When', timestamp }),
        400,
        'invalid_timestamp',
      );
      const response = await post('/v1/batch', {
        batch: [track(userId, 1, { timestamp }), track(userId, 2)],
      });
      const body = (await response.json()) as ProblemBody;
      expect(body.rejected).toEqual([
        expect.objectContaining({ index: 0, reason: 'invalid_timestamp' }),
      ]);
      expect(await streamEvents(`user-${userId}`)).toHaveLength(1);
    },
  );

  it('answers invalid UTF-8 with 400 invalid_utf8 and writes nothing', async () => {
    const before = await countAll();
    const head = Buffer.from('{"userId":"u-utf8","event":"');
    const tail = Buffer.from('"}');
    const body = Buffer.concat([head, Buffer.from([0xc3, 0x28, 0xff, 0xfe]), tail]);
    await expectProblem(await post('/v1/track', new Uint8Array(body)), 400, 'invalid_utf8');
    expect(await countAll()).toBe(before);
  });

  it('answers unknown write keys and non-object bodies with problem documents', async () => {
    await expectProblem(
      await post('/v1/track', { userId: 'u', event: 'E' }, { authorization: 'Basic bm9wZTo=' }),
      401,
      'unauthorized',
    );
    const response = await post('/v1/track', '[1, 2, 3]');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('compressed bodies', () => {
  it('inflates gzip and refuses a body that inflates past the limit or is not gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    const send = (body: Buffer, encoding = 'gzip') =>
      fetch(`${uspa.base}/v1/track`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': encoding,
          authorization: uspa.writeAuth,
        },
        body,
      });
    const ok = await send(gzipSync(JSON.stringify({ userId: 'gz-1', event: 'Zipped' })));
    expect(ok.status).toBe(200);
    const bomb = await send(
      gzipSync(JSON.stringify({ userId: 'gz-2', event: 'x'.repeat(2_000_000) })),
    );
    expect(bomb.status).toBe(413);
    expect(await bomb.json()).toMatchObject({ code: 'payload_too_large' });
    const broken = await send(Buffer.from('not gzip at all'));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'invalid_encoding' });
    expect((await send(Buffer.from('{}'), 'br')).status).toBe(415);
  });
});
