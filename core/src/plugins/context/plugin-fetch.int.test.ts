/**
 * `bridge.fetch` against real HTTP servers on 127.0.0.1: declared hosts answer, undeclared ones
 * are never contacted — not directly, not through a redirect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bridgeUnderTest } from './bridge-under-test.fixture.js';
import { recordingServer, type RecordingServer } from './recording-server.fixture.js';

let api: RecordingServer;
/** Another server: `localhost` stands for a host the plugin did not declare. */
let elsewhere: RecordingServer;

beforeAll(async () => {
  elsewhere = await recordingServer((_request, response) => response.end('you should not be here'));
  api = await recordingServer((request, response) => {
    const [path] = request.url.split('?');
    switch (path) {
      case '/contacts':
        response.writeHead(201, { 'content-type': 'application/json', 'x-crm': 'yes' });
        response.end(JSON.stringify({ method: request.method, got: request.body }));
        return;
      case '/moved':
        response.writeHead(302, { location: '/contacts' }).end();
        return;
      case '/see-other':
        response.writeHead(303, { location: '/contacts' }).end();
        return;
      case '/to-elsewhere':
        response.writeHead(307, { location: `http://localhost:${elsewhere.port}/steal` }).end();
        return;
      case '/to-other-port':
        response.writeHead(307, { location: `${elsewhere.url}/hop` }).end();
        return;
      case '/loop':
        response.writeHead(302, { location: '/loop' }).end();
        return;
      case '/big':
        response.end('x'.repeat(2 * 1024 * 1024));
        return;
      case '/big-chunked':
        response.writeHead(200, { 'content-type': 'text/plain' }); // No content-length.
        for (let i = 0; i < 40; i++) response.write('y'.repeat(64 * 1024));
        response.end();
        return;
      case '/slow':
        setTimeout(() => response.end('late'), 2_000).unref();
        return;
      default:
        response.writeHead(404).end('no such path');
    }
  });
});
afterAll(async () => {
  await api.close();
  await elsewhere.close();
});
beforeEach(() => {
  api.requests.length = 0;
  elsewhere.requests.length = 0;
});

describe('bridge.fetch', () => {
  it('calls a declared host and returns status, headers and body', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    const response = await bridge.fetch(`${api.url}/contacts`, {
      method: 'post',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: '{"email":"ada@example.com"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-crm': 'yes' });
    expect(JSON.parse(response.body)).toEqual({
      method: 'POST',
      got: '{"email":"ada@example.com"}',
    });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer t');
  });

  it('allows the host of the URL in a config field', async () => {
    const { bridge } = bridgeUnderTest({
      network: ['config:url'],
      config: { url: `${api.url}/in` },
    });
    expect((await bridge.fetch(`${api.url}/contacts`)).status).toBe(201);
  });

  it('refuses an undeclared host before any request leaves', async () => {
    const { bridge } = bridgeUnderTest({ network: ['localhost', '*.crm.example'] });
    await expect(bridge.fetch(`${api.url}/contacts`)).rejects.toThrow(
      "ctx.fetch refused 127.0.0.1: the host is not in the plugin's permissions.network",
    );
    await expect(bridge.fetch('ftp://localhost/x')).rejects.toThrow(/only http and https URLs/);
    expect(api.requests).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
  });

  it('refuses a declared host name that resolves to a loopback address, before anything is sent', async () => {
    const { bridge } = bridgeUnderTest({ network: ['localhost'] });
    await expect(bridge.fetch(`http://localhost:${api.port}/contacts`)).rejects.toThrow(
      /ctx\.fetch to localhost:\d+ failed: localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
    );
    expect(api.requests).toEqual([]);
  });

  it('reaches a host name inside the network when the operator allows private networks', async () => {
    const { bridge } = bridgeUnderTest({ network: ['localhost'], privateNetworks: true });
    const response = await bridge.fetch(`http://localhost:${api.port}/contacts`);
    expect(response.status).toBe(201);
    expect(api.requests).toHaveLength(1);
  });

  it('refuses every request when nothing is declared', async () => {
    const { bridge } = bridgeUnderTest();
    await expect(bridge.fetch(`${api.url}/contacts`)).rejects.toThrow(/permissions\.network/);
    expect(api.requests).toEqual([]);
  });

  it('follows a redirect on a declared host, turning a POST into a GET on 303', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    expect((await bridge.fetch(`${api.url}/moved`)).status).toBe(201);
    const seeOther = await bridge.fetch(`${api.url}/see-other`, { method: 'POST', body: 'form' });
    expect(JSON.parse(seeOther.body)).toEqual({ method: 'GET', got: '' });
  });

  it('does not follow a redirect to an undeclared host', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    await expect(bridge.fetch(`${api.url}/to-elsewhere`)).rejects.toThrow(
      `ctx.fetch refused localhost (a redirect from 127.0.0.1:${api.port}): the host is not in the plugin's permissions.network`,
    );
    expect(elsewhere.requests).toEqual([]);
  });

  it('does not carry credentials to another origin, even a declared one', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    await bridge.fetch(`${api.url}/to-other-port`, { headers: { authorization: 'Bearer t' } });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer t');
    expect(elsewhere.requests[0]?.url).toBe('/hop');
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('stops after 5 redirects', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    await expect(bridge.fetch(`${api.url}/loop`)).rejects.toThrow(/more than 5 redirects/);
    expect(api.requests).toHaveLength(6);
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    await expect(bridge.fetch(`${api.url}/big`)).rejects.toThrow(
      `ctx.fetch to 127.0.0.1:${api.port}: the response body is larger than 1048576 bytes`,
    );
    await expect(bridge.fetch(`${api.url}/big-chunked`)).rejects.toThrow(
      /larger than 1048576 bytes/,
    );
    const roomy = bridgeUnderTest({
      network: ['127.0.0.1'],
      limits: { maxResponseBytes: 4_000_000 },
    });
    expect((await roomy.bridge.fetch(`${api.url}/big`)).body).toHaveLength(2 * 1024 * 1024);
  });

  it('gives up after the plugin’s timeout, or the host’s default without one', async () => {
    const { bridge } = bridgeUnderTest({
      network: ['127.0.0.1'],
      limits: { fetchTimeoutMs: 5_000 },
    });
    const started = performance.now();
    await expect(bridge.fetch(`${api.url}/slow`, { timeoutMs: 200 })).rejects.toThrow(
      `ctx.fetch to 127.0.0.1:${api.port} timed out after 200 ms`,
    );
    expect(performance.now() - started).toBeLessThan(1_500);
    const hasty = bridgeUnderTest({ network: ['127.0.0.1'], limits: { fetchTimeoutMs: 150 } });
    await expect(hasty.bridge.fetch(`${api.url}/slow`)).rejects.toThrow(/timed out after 150 ms/);
  });

  it('reports a host that does not answer', async () => {
    const closed = await recordingServer(() => undefined);
    await closed.close();
    const { bridge } = bridgeUnderTest({ network: ['127.0.0.1'] });
    await expect(bridge.fetch(`${closed.url}/`)).rejects.toThrow(
      `ctx.fetch to 127.0.0.1:${closed.port} failed: ECONNREFUSED`,
    );
  });
});
