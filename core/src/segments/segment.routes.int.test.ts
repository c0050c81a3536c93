import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

let uspa: TestServer;

/** The fields these answers carry (`members` is a count on a segment, a page on its members). */
interface Answer {
  errors?: string[];
  detail?: string;
  status?: { state: string };
  members?: number | { traits: unknown }[];
  total?: number;
  next?: string;
  count?: number;
  sample?: unknown[];
  segments?: string[];
}

beforeAll(async () => {
  uspa = await startTestServer();
});

afterAll(async () => {
  await uspa.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${uspa.base}${path}`, {
    method,
    headers: {
      authorization: uspa.adminAuth,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    location: response.headers.get('location'),
    body: text === '' ? undefined : (JSON.parse(text) as Answer),
  };
}

async function collect(batch: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${uspa.base}/v1/batch`, {
    method: 'POST',
    headers: { authorization: uspa.writeAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

const order = (userId: string, total: number) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  properties: { total },
  messageId: `${userId}-${total}`,
});

describe('segments API', () => {
  it('refuses bad conditions with every reason, as problem+json', async () => {
    const bad = await call('POST', '/v1/segments', {
      name: '',
      condition: { and: [{ property: 'traits.plan', op: 'resembles', value: 'pro' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body?.errors).toEqual([
      'name: a string of 1–200 characters',
      'condition.and[0].op: must be one of equals, notEquals, gt, gte, lt, lte, between, exists, missing, contains, startsWith, endsWith, in, notIn, matchesRegex',
    ]);

    const catastrophic = await call('POST', '/v1/segments', {
      name: 'Slow',
      condition: { property: 'traits.email', op: 'matchesRegex', value: '(a+)+$' },
    });
    expect(catastrophic.status).toBe(400);

    const unknown = await call('POST', '/v1/segments', {
      name: 'Refers',
      condition: { segment: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body?.detail).toContain('nope');

    const anonymous = await fetch(`${uspa.base}/v1/segments`, { method: 'GET' });
    expect(anonymous.status).toBe(401);
  });

  it('defines a segment, fills it from events and a backfill, previews, pages members', async () => {
    await collect([order('ada', 120), order('bob', 40), order('cy', 300)]);
    const created = await call('POST', '/v1/segments', {
      id: 'big-orders',
      name: 'Big orders',
      condition: {
        event: {
          name: 'Order Completed',
          where: [{ property: 'properties.total', op: 'gt', value: 100 }],
          within: { lastDays: 30 },
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.location).toBe('/v1/segments/big-orders');
    expect(created.body).toMatchObject({ id: 'big-orders', version: 1 });

    const ready = await eventually(
      () => call('GET', '/v1/segments/big-orders'),
      (r) => r.body?.status?.state === 'ready' && r.body?.members === 2,
    );
    expect(ready.body).toMatchObject({ status: { state: 'ready' }, members: 2 });

    await collect([order('dee', 150)]);
    const members = await eventually(
      () => call('GET', '/v1/segments/big-orders/members?size=2'),
      (r) => r.body?.total === 3,
    );
    expect(members.body?.total).toBe(3);
    expect(members.body?.members).toHaveLength(2);
    const rest = await call(
      'GET',
      `/v1/segments/big-orders/members?size=2&after=${encodeURIComponent(members.body?.next ?? '')}`,
    );
    const pages = [members.body?.members, rest.body?.members] as { traits: unknown }[][];
    expect(pages.flat().map((member) => member.traits)).toHaveLength(3);

    const profile = await call('GET', '/v1/profiles/user_id:dee');
    expect(profile.body?.segments).toEqual(['big-orders']);

    const preview = await call('POST', '/v1/segments/preview', {
      condition: { property: 'ecommerce.revenue', op: 'between', value: [100, 200] },
    });
    expect(preview.status).toBe(200);
    expect(preview.body?.count).toBe(2); // ada 120, dee 150
    expect(preview.body?.sample).toHaveLength(2);
  });

  it('redefines with If-Match, refuses a stale version, and refuses cycles and deleting a used segment', async () => {
    await call('POST', '/v1/segments', {
      id: 'pro',
      name: 'Pro',
      condition: { property: 'traits.plan', op: 'equals', value: 'pro' },
    });
    await call('POST', '/v1/segments', {
      id: 'pro-buyers',
      name: 'Pro buyers',
      condition: {
        and: [{ segment: 'pro' }, { property: 'ecommerce.orders', op: 'gte', value: 1 }],
      },
    });
    const cycle = await call('PUT', '/v1/segments/pro', {
      name: 'Pro',
      condition: { segment: 'pro-buyers' },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body?.detail).toContain('cycle');

    const stale = await call(
      'PUT',
      '/v1/segments/pro',
      { name: 'Pro', condition: { property: 'traits.plan', op: 'in', value: ['pro', 'team'] } },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    const redefined = await call(
      'PUT',
      '/v1/segments/pro',
      {
        name: 'Pro or team',
        condition: { property: 'traits.plan', op: 'in', value: ['pro', 'team'] },
      },
      { 'if-match': '"1"' },
    );
    expect(redefined.status).toBe(200);
    expect(redefined.body).toMatchObject({ version: 2, name: 'Pro or team' });

    expect((await call('DELETE', '/v1/segments/pro')).status).toBe(409);
    expect((await call('DELETE', '/v1/segments/pro-buyers')).status).toBe(204);
    expect((await call('GET', '/v1/segments/pro-buyers')).status).toBe(404);
    const { events } = await uspa.store.readStream('segment-pro');
    expect(events.map((e) => e.type)).toEqual(['SegmentDefined', 'SegmentDefined']);
  });
});
