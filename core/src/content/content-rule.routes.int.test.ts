import express from 'express';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import type { Condition } from '../domain/content-rules.js';
import { notFoundHandler, problemDetailsHandler } from '../http/problem-details.js';
import { createApiKey } from '../keys/api-key-commands.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { LogFollower } from '../read-models/log-follower.js';
import { ContentRuleDirectory } from './content-rule-directory.js';
import { contentRuleRoutes } from './content-rule.routes.js';
import type { ConditionCheck } from './content-rule-validation.js';

const logger = pino({ level: 'silent' });
const store = new SqliteEventStore({ file: ':memory:', synchronous: 'FULL', pollIntervalMs: 20 });
const keys = new ApiKeyDirectory();
const rules = new ContentRuleDirectory();
const checkCondition: ConditionCheck = (input) =>
  typeof (input as { property?: unknown }).property === 'string'
    ? { ok: true, condition: input as Condition }
    : { ok: false, errors: ['property is required'] };

let base = '';
let adminAuth = '';
let readerAuth = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const admin = await createApiKey(store, { type: 'secret', scopes: ['admin'] });
  const reader = await createApiKey(store, { type: 'secret', scopes: ['profiles:read'] });
  keys.apply({ type: 'ApiKeyCreated', data: admin.key });
  keys.apply({ type: 'ApiKeyCreated', data: reader.key });
  adminAuth = `Bearer ${admin.secret}`;
  readerAuth = `Bearer ${reader.secret}`;
  const app = express();
  app.use(contentRuleRoutes({ store, keys, rules, checkCondition }));
  app.use(notFoundHandler);
  app.use(problemDetailsHandler(logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  };
});
afterAll(() => close());

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method,
    headers: { authorization: adminAuth, 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

const sale = {
  name: 'Spring sale',
  slot: 'hero',
  segmentId: 'trial-users',
  urlPattern: '/pricing*',
  content: { title: '−20 %', html: '<p onclick="x()">Now</p>' },
  priority: 10,
};

describe('content rules API', () => {
  it('creates a rule: 201, Location, ETag and the rule with its id and version', async () => {
    const response = await call('POST', '/v1/content-rules', sale);
    expect(response.status).toBe(201);
    const rule = (await response.json()) as { id: string; createdAt: string };
    expect(rule).toMatchObject({ ...sale, version: 1 });
    expect(rule.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`/v1/content-rules/${rule.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    const shown = await call('GET', `/v1/content-rules/${rule.id}`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual(rule);
  });

  it('lists rules, filtered by slot', async () => {
    await call('POST', '/v1/content-rules', { name: 'Footer', slot: 'footer', content: { a: 1 } });
    const all = (await (await call('GET', '/v1/content-rules')).json()) as {
      contentRules: { slot: string }[];
    };
    expect(all.contentRules.map((rule) => rule.slot)).toEqual(
      expect.arrayContaining(['hero', 'footer']),
    );
    const footer = (await (await call('GET', '/v1/content-rules?slot=footer')).json()) as {
      contentRules: { name: string }[];
    };
    expect(footer.contentRules.map((rule) => rule.name)).toEqual(['Footer']);
  });

  it('replaces a rule with If-Match, then refuses a stale If-Match with 412', async () => {
    const created = (await (await call('POST', '/v1/content-rules', sale)).json()) as {
      id: string;
      createdAt: string;
    };
    const path = `/v1/content-rules/${created.id}`;
    const replaced = await call('PUT', path, { ...sale, priority: 20 }, { 'if-match': '"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(await replaced.json()).toMatchObject({
      id: created.id,
      priority: 20,
      version: 2,
      createdAt: created.createdAt,
    });
    const stale = await call('PUT', path, { ...sale, priority: 30 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(await stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 });
    expect(rules.get(created.id)).toMatchObject({ priority: 20, version: 2 });
    const unconditional = await call('PUT', path, { ...sale, priority: 40 });
    expect(await unconditional.json()).toMatchObject({ priority: 40, version: 3 });
  });

  it('answers 404 for a rule that does not exist', async () => {
    const absent = '/v1/content-rules/00000000-0000-0000-0000-000000000000';
    expect((await call('GET', absent)).status).toBe(404);
    expect((await call('PUT', absent, sale)).status).toBe(404);
    expect((await call('DELETE', absent)).status).toBe(404);
  });

  it('refuses an invalid body with 400 problem+json listing every error', async () => {
    const response = await call('POST', '/v1/content-rules', {
      name: '',
      slot: 'hero banner',
      condition: { op: 'equals' },
      content: { body: 'x'.repeat(17_000) },
      priority: 5000,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { code: string; errors: string[] };
    expect(problem.code).toBe('validation_failed');
    expect([...problem.errors].sort()).toEqual(
      [
        'name must NOT have fewer than 1 characters',
        'slot must be 1–64 letters, digits, - or _, starting with a letter or digit',
        'priority must be <= 1000',
        'condition: property is required',
        'content is 17011 bytes once serialised; the limit is 16384',
      ].sort(),
    );
    const bad = await call('PUT', '/v1/content-rules/x', sale, { 'if-match': 'version 1' });
    expect(bad.status).toBe(400);
  });

  it('refuses a missing, unknown or unscoped key', async () => {
    const missing = await call('GET', '/v1/content-rules', undefined, { authorization: '' });
    expect(missing.status).toBe(401);
    const wrong = await call('POST', '/v1/content-rules', sale, {
      authorization: 'Bearer uspa_sk_not_a_key',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'unauthorized' });
    const reader = await call('GET', '/v1/content-rules', undefined, { authorization: readerAuth });
    expect(reader.status).toBe(403);
  });

  it('deletes a rule: 204, then 404, with every change in its contentrule-<id> stream', async () => {
    const { id } = (await (await call('POST', '/v1/content-rules', sale)).json()) as { id: string };
    await call('PUT', `/v1/content-rules/${id}`, { ...sale, name: 'Renamed' });
    const deleted = await call('DELETE', `/v1/content-rules/${id}`, undefined, {
      'if-match': '"2"',
    });
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/v1/content-rules/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/content-rules/${id}`)).status).toBe(404);
    const { events } = await store.readStream(`contentrule-${id}`);
    expect(events.map((event) => [event.type, event.revision])).toEqual([
      ['ContentRuleDefined', 0],
      ['ContentRuleDefined', 1],
      ['ContentRuleDeleted', 2],
    ]);
    expect(events[1]?.data).toMatchObject({ id, name: 'Renamed', version: 2 });
    expect(events[2]?.data).toMatchObject({ id });
  });

  it('leaves the log in a state another process rebuilds the same directory from', async () => {
    const follower = new ContentRuleDirectory();
    const following = new LogFollower(store, logger, 'contentrule-', (event) =>
      follower.apply(event),
    );
    await following.start();
    await following.stop();
    expect(follower.list()).toEqual(rules.list());
  });
});
