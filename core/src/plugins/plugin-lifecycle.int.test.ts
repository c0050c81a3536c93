/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- API answers are read as loose JSON and checked with toMatchObject */
/**
 * The marketplace end to end on a real server: a built-in webhook destination is installed,
 * configured, enabled, delivers signed events to a real HTTP receiver, is disabled (delivery
 * stops), and uninstalled — each step an event in the plugin's history.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi } from '../testing/admin-api.js';
import { eventually } from '../testing/eventually.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = 'whsec_0123456789abcdef';

describe('plugin lifecycle through the API', () => {
  let uspa: TestServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  const api = (method: string, path: string, body?: unknown) => adminApi(uspa)(method, path, body);
  const track = async (event: string) => {
    const response = await fetch(`${uspa.base}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
      body: JSON.stringify({ userId: 'ada', event, properties: { total: 42 } }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/uspa`;
    uspa = await startTestServer({ USPA_PLUGIN_CONSUMER_RETRY_DELAY_MS: '20' });
  });
  afterAll(async () => {
    await uspa?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('lists the built-ins in the catalog, with their hooks and permissions', async () => {
    const { status, body } = await api('GET', '/v1/admin/plugins/catalog');
    expect(status).toBe(200);
    const names = (body.plugins as { name: string }[]).map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining(['user-agent', 'geo', 'campaign', 'topics', 'webhook']),
    );
    const webhook = (body.plugins as Record<string, any>[]).find(
      (entry) => entry.name === 'webhook',
    )!;
    expect(webhook.hooks).toContain('onEvent');
    expect(webhook.permissions.network).toEqual(['config:url']);
    expect(webhook.installed).toBeNull();
  });

  it('installs, configures, enables, delivers, disables and uninstalls the webhook', async () => {
    const installed = await api('POST', '/v1/admin/plugins', {
      source: 'builtin',
      name: 'webhook',
    });
    expect(installed.status).toBe(201);
    expect(installed.body).toMatchObject({ name: 'webhook', enabled: false, builtIn: true });

    // Enabling before the required url and secret are set is refused with the missing fields.
    const early = await api('POST', '/v1/admin/plugins/webhook/enable');
    expect(early.status).toBe(400);

    const configured = await api('PUT', '/v1/admin/plugins/webhook/config', {
      url: receiverUrl,
      secret: SECRET,
      eventNames: ['Order Completed'],
    });
    expect(configured.status).toBe(200);
    expect(configured.body.config.secret).toBe('••••••••');
    expect(configured.body.config.url).toBe(receiverUrl);
    expect(JSON.stringify(configured.body)).not.toContain(SECRET);
    // The log keeps the secret sealed, never in clear.
    const { events: logged } = await uspa.store.readStream('plugin-webhook');
    const stored = logged.find((event) => event.type === 'PluginConfigured')!;
    expect(JSON.stringify(stored.data)).not.toContain(SECRET);
    const sealed = (stored.data as { config: { secret: { $sealed: string } } }).config.secret;
    expect(Object.keys(sealed)).toEqual(['$sealed']);
    expect(sealed.$sealed).toMatch(/^v1\./);

    const enabled = await api('POST', '/v1/admin/plugins/webhook/enable');
    expect(enabled.body).toMatchObject({ enabled: true, status: 'running' });

    await track('Product Viewed');
    await track('Order Completed');
    await eventually(
      async () => received.length,
      (count) => count >= 1,
    );
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const payload = JSON.parse(delivery!.body) as { type: string; data: { event: string } };
    expect(payload).toMatchObject({ type: 'Tracked', data: { event: 'Order Completed' } });
    const timestamp = String(delivery!.headers['x-uspa-timestamp']);
    const expected = createHmac('sha256', SECRET)
      .update(`${timestamp}.${delivery!.body}`)
      .digest('hex');
    expect(delivery!.headers['x-uspa-signature']).toBe(`sha256=${expected}`);

    // Re-sending the masked secret keeps the stored one: the next delivery still verifies.
    const reconfigured = await api('PUT', '/v1/admin/plugins/webhook/config', {
      url: receiverUrl,
      secret: '••••••••',
      eventNames: ['Order Completed', 'Order Refunded'],
    });
    expect(reconfigured.status).toBe(200);
    await track('Order Refunded');
    await eventually(
      async () => received.length,
      (count) => count >= 2,
    );
    const second = received[1]!;
    const resigned = createHmac('sha256', SECRET)
      .update(`${String(second.headers['x-uspa-timestamp'])}.${second.body}`)
      .digest('hex');
    expect(second.headers['x-uspa-signature']).toBe(`sha256=${resigned}`);

    const disabled = await api('POST', '/v1/admin/plugins/webhook/disable', {
      reason: 'maintenance',
    });
    expect(disabled.body).toMatchObject({
      enabled: false,
      status: 'disabled',
      disabled: { reason: 'maintenance' },
    });
    await track('Order Completed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(2);

    expect((await api('DELETE', '/v1/admin/plugins/webhook')).status).toBe(204);
    expect((await api('GET', '/v1/admin/plugins/webhook')).status).toBe(404);

    const history = await api('GET', '/v1/admin/plugins/webhook/history');
    expect((history.body.history as { type: string }[]).map((entry) => entry.type)).toEqual([
      'PluginInstalled',
      'PluginConfigured',
      'PluginEnabled',
      'PluginConfigured',
      'PluginDisabled',
      'PluginUninstalled',
    ]);
    expect(JSON.stringify(history.body)).not.toContain(SECRET);
  });

  it('parks what a failing destination refuses, and delivers it on replay once it is back', async () => {
    let failing = true;
    receiver.removeAllListeners('request');
    receiver.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (failing) return void response.writeHead(503).end();
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200).end();
      });
    });
    await api('POST', '/v1/admin/plugins', { source: 'builtin', name: 'webhook' });
    await api('PUT', '/v1/admin/plugins/webhook/config', {
      url: receiverUrl,
      secret: SECRET,
      eventNames: ['Cart Abandoned'],
    });
    await api('POST', '/v1/admin/plugins/webhook/enable');
    await track('Cart Abandoned');
    const parked = await eventually(
      async () =>
        (await api('GET', '/v1/admin/plugins/webhook/dead-letters')).body.deadLetters as any[],
      (letters) => letters.length === 1,
    );
    expect(parked[0]).toMatchObject({
      consumer: 'events',
      attempts: 5,
      event: { type: 'Tracked' },
    });
    expect(parked[0].error.message).toContain('503');

    failing = false;
    const before = received.length;
    const replay = await api('POST', '/v1/admin/plugins/webhook/dead-letters/replay');
    expect(replay.body).toMatchObject({ replayed: 1, delivered: 1, failed: 0 });
    expect(received).toHaveLength(before + 1);
    expect(JSON.parse(received[before]!.body)).toMatchObject({ data: { event: 'Cart Abandoned' } });
    const pending = await api('GET', '/v1/admin/plugins/webhook/dead-letters?pending=true');
    expect(pending.body.deadLetters).toEqual([]);
  });

  it('refuses unknown sources, unknown plugins and a second install with problem details', async () => {
    const unknown = await api('POST', '/v1/admin/plugins', { source: 'ftp', name: 'x' });
    expect(unknown.status).toBe(400);
    expect(
      (await api('POST', '/v1/admin/plugins', { source: 'builtin', name: 'nope' })).status,
    ).toBe(404);
    const twice = await api('POST', '/v1/admin/plugins', { source: 'builtin', name: 'webhook' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('plugin_installed');
    const anonymous = await fetch(`${uspa.base}/v1/admin/plugins`);
    expect(anonymous.status).toBe(401);
  });
});
