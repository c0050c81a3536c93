import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/index.js';
import { aTrackingEvent } from './sample-events.js';
import { testPlugin } from './test-plugin.js';

/** Fetches `event.properties.url` with the given init and puts the answer under enrichment. */
const fetching = definePlugin<{ url?: string }>({
  name: 'fetching',
  version: '1.0.0',
  host: '>=0.1.0',
  permissions: { network: ['api.crm.example', 'config:url'] },
  async enrich(event, { fetch }) {
    const response = await fetch(String(event.properties.url), {
      method: 'post',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k-1' },
      body: JSON.stringify({ id: event.messageId }),
    });
    const answer = { status: response.status, ok: response.ok, body: await response.json() };
    return { ...event, enrichment: { ...event.enrichment, answer } };
  },
});

const calling = (url: string) => aTrackingEvent({ properties: { url } });

describe('the harness fetch', () => {
  it('sends an allowed request to the responder and records it', async () => {
    const event = calling('https://api.crm.example/v1/contacts');
    const { events, fetches } = await testPlugin(fetching)
      .withFetch(({ url }) => ({ status: 201, body: { created: url } }))
      .send(event);
    expect(events[0]?.enrichment.answer).toEqual({
      status: 201,
      ok: true,
      body: { created: 'https://api.crm.example/v1/contacts' },
    });
    expect(fetches).toEqual([
      {
        url: 'https://api.crm.example/v1/contacts',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k-1' },
        body: JSON.stringify({ id: event.messageId }),
      },
    ]);
  });

  it('refuses an undeclared host with an error naming it, before the responder sees it', async () => {
    let answered = 0;
    const { errors, fetches } = await testPlugin(fetching)
      .withFetch(() => ({ status: 200, body: (answered++, {}) }))
      .send(calling('https://collector.evil.example/steal'));
    expect(answered).toBe(0);
    expect(errors[0]?.message).toBe(
      "ctx.fetch refused collector.evil.example: the host is not in the plugin's " +
        'permissions.network (api.crm.example, config:url)',
    );
    expect(fetches.map(({ url }) => url)).toEqual(['https://collector.evil.example/steal']);
  });

  it('allows the host of the configured URL for config:url', async () => {
    const { errors } = await testPlugin(fetching)
      .withConfig({ url: 'https://hooks.acme.example/in' })
      .withFetch(() => ({ status: 204, body: null }))
      .send([calling('https://hooks.acme.example/other'), calling('https://acme.example/')]);
    expect(errors.map(({ message }) => message.split(':')[0])).toEqual([
      'ctx.fetch refused acme.example',
    ]);
  });

  it('turns a responder throw into a rejected fetch, worded as the host words it', async () => {
    const { errors } = await testPlugin(fetching)
      .withFetch(() => {
        throw new Error('ECONNREFUSED');
      })
      .send(calling('https://api.crm.example/'));
    expect(errors.map(({ message }) => message)).toEqual([
      'ctx.fetch to api.crm.example failed: ECONNREFUSED',
    ]);
  });

  it('follows a redirect to a declared host, dropping credentials across origins', async () => {
    const { events, fetches } = await testPlugin(fetching)
      .withConfig({ url: 'https://hooks.acme.example/' })
      .withFetch(({ url }) =>
        url.startsWith('https://api.crm.example/')
          ? { status: 307, headers: { Location: 'https://hooks.acme.example/moved' } }
          : { status: 200, body: { at: url } },
      )
      .send(calling('https://api.crm.example/old'));
    expect(events[0]?.enrichment.answer).toMatchObject({
      body: { at: 'https://hooks.acme.example/moved' },
    });
    expect(fetches.map(({ url, method }) => `${method} ${url}`)).toEqual([
      'POST https://api.crm.example/old',
      'POST https://hooks.acme.example/moved',
    ]);
    expect(fetches[0]?.headers).toMatchObject({ authorization: 'Bearer k-1' });
    expect(fetches[1]?.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('refuses a redirect to an undeclared host', async () => {
    const { errors, fetches } = await testPlugin(fetching)
      .withFetch(() => ({ status: 302, headers: { location: 'https://evil.example/' } }))
      .send(calling('https://api.crm.example/'));
    expect(errors[0]?.message).toMatch(/^ctx\.fetch refused evil\.example: .* \(a redirect\)$/);
    // A 302 turns the POST into a GET, as browsers do.
    expect(fetches[1]).toEqual({ url: 'https://evil.example/', method: 'GET', headers: {} });
  });

  describe('without a responder', () => {
    const requests: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ method: request.method, headers: request.headers, body });
        if (request.url === '/slow') return void setTimeout(() => response.end(), 1_000);
        response.writeHead(request.url === '/missing' ? 404 : 200, {
          'content-type': 'application/json',
        });
        response.end(JSON.stringify({ path: request.url }));
      });
    });
    let base = '';
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends allowed requests over the real network', async () => {
      const harness = testPlugin(fetching).withConfig({ url: `${base}/hook` });
      const { events, errors } = await harness.send([
        calling(`${base}/hook`),
        calling(`${base}/missing`),
      ]);
      expect(errors).toEqual([]);
      expect(events.map((event) => event.enrichment.answer)).toEqual([
        { status: 200, ok: true, body: { path: '/hook' } },
        { status: 404, ok: false, body: { path: '/missing' } },
      ]);
      expect(requests[0]).toMatchObject({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k-1' },
        body: JSON.stringify({ id: events[0]?.messageId }),
      });
    });

    it('gives up after timeoutMs, and names a refused connection', async () => {
      const impatient = definePlugin<{ url: string }>({
        ...fetching,
        async enrich(event, { config, fetch }) {
          await fetch(`${config.url}${String(event.properties.path)}`, { timeoutMs: 100 });
          return event;
        },
      });
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const slow = await testPlugin(impatient)
        .withConfig({ url: base })
        .send(aTrackingEvent({ properties: { path: '/slow' } }));
      const refused = await testPlugin(impatient)
        .withConfig({ url: `http://127.0.0.1:${port}` })
        .send(aTrackingEvent({ properties: { path: '/' } }));
      expect(slow.errors[0]?.message).toBe(
        `ctx.fetch to ${new URL(base).host} timed out after 100 ms`,
      );
      expect(refused.errors[0]?.message).toBe(
        `ctx.fetch to 127.0.0.1:${port} failed: ECONNREFUSED`,
      );
    });
  });
});
