import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aStoredEvent, anIdentify, storedEventOf, testPlugin } from '@uspa/sdk/plugin-testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from './webhook-signature.js';
import { webhookPlugin } from './webhook.plugin.js';

const secret = 'whsec_8d2f0c6b1a9e4d7f';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver made of the signature, the way a real one would check it. */
  verified: boolean;
}

/** A receiver on a real port: answers 204, or the status a `/status/<code>` path asks for. */
describe('webhook plugin against a real HTTP receiver', () => {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => request.headers[name] as string | undefined;
      const verified = verifyWebhookSignature(
        secret,
        header('x-uspa-timestamp'),
        body,
        header('x-uspa-signature'),
        { toleranceSeconds: 300 },
      );
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: body.toString(),
        verified,
      });
      const status = /^\/status\/(\d{3})$/.exec(request.url ?? '')?.[1];
      response.writeHead(status ? Number(status) : verified ? 204 : 401).end();
    });
  });
  let origin = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const webhook = (path: string, config: Record<string, unknown> = {}) =>
    testPlugin(webhookPlugin).withConfig({ url: `${origin}${path}`, secret, ...config });

  it('delivers signed JSON that the receiver verifies with verifyWebhookSignature', async () => {
    const order = aStoredEvent();
    const identify = storedEventOf(anIdentify());
    const { errors, metrics } = await webhook('/hooks/uspa').sendStored([order, identify]);
    expect(errors).toEqual([]);
    expect(metrics).toEqual({ webhook_delivered: 2 });
    expect(received.map(({ path, verified }) => ({ path, verified }))).toEqual([
      { path: '/hooks/uspa', verified: true },
      { path: '/hooks/uspa', verified: true },
    ]);
    expect(received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'USPA-Webhook/1.0.0',
      'x-uspa-event-id': order.id,
    });
    expect(JSON.parse(received[1]?.body ?? '')).toMatchObject({
      id: identify.id,
      type: 'Identified',
      data: { userId: 'user-42', traits: { email: 'ada.lovelace@acme.co.uk' } },
    });
  });

  it('makes no request for events outside its filters', async () => {
    const order = aStoredEvent();
    const viewed = aStoredEvent({ data: { ...order.data, event: 'Product Viewed' } });
    const segment = aStoredEvent({ type: 'SegmentEntered', data: { segmentId: 'vip' } });
    const { delivered } = await webhook('/hooks/uspa', {
      eventTypes: ['Tracked'],
      eventNames: ['Order Completed'],
    }).sendStored([viewed, segment, order]);
    expect(delivered).toEqual([viewed.id, segment.id, order.id]);
    expect(received.map(({ headers }) => headers['x-uspa-event-id'])).toEqual([order.id]);
  });

  it('throws with the status when the receiver answers other than 2xx', async () => {
    const { errors } = await webhook('/status/503').sendStored(aStoredEvent());
    expect(errors.map(({ message }) => message)).toEqual([
      `webhook ${new URL(origin).host} answered 503`,
    ]);
    const redirected = await webhook('/status/301').sendStored(aStoredEvent());
    expect(redirected.errors[0]?.message).toMatch(/answered 301$/);
  });

  it('throws when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { errors } = await testPlugin(webhookPlugin)
      .withConfig({ url: `http://127.0.0.1:${port}/hooks`, secret })
      .sendStored(aStoredEvent());
    expect(errors[0]?.message).toBe(`ctx.fetch to 127.0.0.1:${port} failed: ECONNREFUSED`);
  });
});
