import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/uspa-test-server.js';

/**
 * Random malformed requests against a running USPA: whatever arrives, the tracking API answers
 * 2xx or a 4xx problem document, never a 5xx, and the server stays healthy. Seeded, so a failure
 * replays: fast-check prints the seed and path of the smallest failing request.
 */

const SEED = 20261129;
const RUNS = 1200;

let uspa: TestServer;
beforeAll(async () => {
  uspa = await startTestServer();
});
afterAll(() => uspa.stop());

const PATHS = [
  '/v1/track',
  '/v1/identify',
  '/v1/page',
  '/v1/screen',
  '/v1/group',
  '/v1/alias',
  '/v1/batch',
  '/v1/import',
  '/v1/t',
  '/v1/i',
  '/v1/p',
  '/v1/s',
  '/v1/g',
  '/v1/a',
  '/v1/b',
];

const FIELDS = [
  'type',
  'userId',
  'anonymousId',
  'messageId',
  'event',
  'name',
  'category',
  'groupId',
  'previousId',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'context',
  'properties',
  'traits',
  'integrations',
  'writeKey',
  'batch',
];

/** JSON number literals JSON.stringify never produces: overflow, underflow, huge integers. */
const hugeNumber = fc.constantFrom(
  '1e999',
  '-1e999',
  '1e-999',
  '123456789012345678901234567890123456789',
  '-0',
  '9007199254740993',
  '0.00000000000000000000000000000000000001',
);

/** A value of any JSON type, for any field. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\u0000', '2026-13-45T99:00:00Z', 'yesterday', 'x'.repeat(300)),
);

/** Every known field with a value of a random (usually wrong) type. */
const wrongTypes = fc
  .dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: FIELDS.length })
  .map((message) => JSON.stringify(message));

/** A plausible message, then cut short somewhere. */
const truncatedJson = fc
  .tuple(
    fc.record({
      type: fc.constantFrom('track', 'identify', 'page'),
      userId: fc.string(),
      event: fc.string(),
      properties: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
    }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([message, at]) => {
    const text = JSON.stringify({ batch: [message] });
    return text.slice(0, Math.floor(text.length * at));
  });

/** Huge numbers spliced into every numeric-looking place of a message. */
const hugeNumbers = fc
  .tuple(hugeNumber, hugeNumber, hugeNumber)
  .map(
    ([a, b, c]) =>
      `{"type":"track","userId":${a},"event":"E","properties":{"n":${b}},"timestamp":${c},` +
      `"batch":[${a},{"userId":${b}}]}`,
  );

/** Arrays nested from a few levels to far past any sane depth. */
const nestedArrays = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.boolean())
  .map(([depth, inBatch]) => {
    const nested = '['.repeat(depth) + ']'.repeat(depth);
    return inBatch
      ? `{"batch":[{"type":"track","userId":"u","event":"E","properties":{"a":${nested}}}]}`
      : `{"userId":"u","event":"E","properties":{"a":${nested}}}`;
  });

/** Batches whose members are anything at all. */
const oddBatches = fc
  .record({
    batch: fc.oneof(fc.array(anyValue, { maxLength: 20 }), anyValue),
    context: anyValue,
    sentAt: anyValue,
  })
  .map((body) => JSON.stringify(body));

const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  truncatedJson,
  wrongTypes,
  hugeNumbers,
  nestedArrays,
  oddBatches,
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'text/plain',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    ';;;',
    '',
  ),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/),
);

const authorisation = (writeAuth: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(writeAuth) },
    fc.constantFrom('', 'Basic', 'Basic !!!', 'Bearer x', 'Basic bm9wZTo='),
  );

interface Outcome {
  status: number;
  type: string;
  text: string;
}

async function send(
  path: string,
  payload: string | Buffer,
  type: string,
  auth: string,
): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (type !== '') headers['content-type'] = type;
  if (auth !== '') headers.authorization = auth;
  const response = await fetch(`${uspa.base}${path}`, {
    method: 'POST',
    headers,
    // A Uint8Array body keeps fetch from adding a text/plain content type of its own.
    body: typeof payload === 'string' ? new TextEncoder().encode(payload) : new Uint8Array(payload),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

function expectWellFormed(outcome: Outcome): void {
  expect(outcome.status, outcome.text).toBeLessThan(500);
  expect(outcome.type).toMatch(
    outcome.status >= 400 ? /^application\/problem\+json/ : /^application\/json/,
  );
  const parsed = JSON.parse(outcome.text) as { code?: unknown; status?: unknown };
  if (outcome.status >= 400) {
    expect(typeof parsed.code).toBe('string');
    expect(parsed.status).toBe(outcome.status);
  }
}

describe('tracking API under random malformed input', () => {
  it(`answers ${RUNS} random requests without a 5xx and stays healthy`, async () => {
    const statuses = new Map<number, number>();
    // Requests go out in small concurrent groups over keep-alive connections.
    const request = fc.record({
      path: fc.constantFrom(...PATHS),
      payload: body,
      type: contentType,
      auth: authorisation(uspa.writeAuth),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 4, maxLength: 4 }), async (group) => {
        const outcomes = await Promise.all(
          group.map(({ path, payload, type, auth }) => send(path, payload, type, auth)),
        );
        for (const outcome of outcomes) {
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          expectWellFormed(outcome);
        }
      }),
      { seed: SEED, numRuns: RUNS / 4, endOnFailure: true },
    );
    const total = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThanOrEqual(RUNS);
    // The mix must reach past the front door: some requests stored, some refused per message.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);

    for (const probe of ['/health', '/ready']) {
      const response = await fetch(`${uspa.base}${probe}`);
      expect(response.status, probe).toBe(200);
    }
    const ok = await send(
      '/v1/track',
      '{"userId":"after-fuzz","event":"Still Fine"}',
      'application/json',
      uspa.writeAuth,
    );
    expect(ok.status).toBe(200);
  }, 60_000);
});
