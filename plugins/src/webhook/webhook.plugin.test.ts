import {
  aStoredEvent,
  anIdentify,
  storedEventOf,
  testPlugin,
  type FetchAnswer,
} from '@uspa/sdk/plugin-testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyWebhookSignature } from './webhook-signature.js';
import { webhookPlugin } from './webhook.plugin.js';

const secret = 'whsec_8d2f0c6b1a9e4d7f';
const url = 'https://hooks.acme.example/uspa?token=t0k3n';
const now = new Date('2026-11-29T10:00:05.000Z');

const webhook = (config: Record<string, unknown> = {}, answer: FetchAnswer = { status: 204 }) =>
  testPlugin(webhookPlugin)
    .withConfig({ url, secret, ...config })
    .withFetch(() => answer);

const segmentEntered = () =>
  aStoredEvent({
    type: 'SegmentEntered',
    streamId: 'profile-p-42',
    data: { profileId: 'p-42', segmentId: 'vip', sequence: 1, segmentVersion: 3 },
  });

describe('webhook plugin', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('POSTs an event as signed JSON', async () => {
    const order = aStoredEvent();
    const { fetches, errors, metrics } = await webhook().sendStored(order);
    expect(errors).toEqual([]);
    const [request] = fetches;
    expect(request).toMatchObject({ url, method: 'POST' });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id: order.id,
      type: 'Tracked',
      streamId: 'user-user-42',
      position: order.position,
      recordedAt: order.recordedAt,
      data: order.data,
    });
    const { 'x-uspa-signature': signature, ...headers } = request?.headers ?? {};
    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'USPA-Webhook/1.0.0',
      'x-uspa-event-id': order.id,
      'x-uspa-timestamp': String(now.getTime() / 1000),
    });
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const timestamp = headers['x-uspa-timestamp'];
    expect(verifyWebhookSignature(secret, timestamp, request!.body!, signature, { now })).toBe(
      true,
    );
    expect(metrics).toEqual({ webhook_delivered: 1 });
  });

  it('sends the six interaction types by default, segment changes only when asked', async () => {
    const identify = storedEventOf(anIdentify());
    const segment = segmentEntered();
    const byDefault = await webhook().sendStored([identify, segment]);
    expect(byDefault.fetches.map(({ headers }) => headers['x-uspa-event-id'])).toEqual([
      identify.id,
    ]);
    const segments = await webhook({ eventTypes: ['SegmentEntered'] }).sendStored([
      identify,
      segment,
    ]);
    expect(segments.fetches.map(({ headers }) => headers['x-uspa-event-id'])).toEqual([segment.id]);
  });

  it('filters track events by name without filtering other types', async () => {
    const order = aStoredEvent();
    const viewed = aStoredEvent({ data: { ...order.data, event: 'Product Viewed' } });
    const identify = storedEventOf(anIdentify());
    const { fetches } = await webhook({ eventNames: ['Order Completed'] }).sendStored([
      viewed,
      order,
      identify,
    ]);
    expect(fetches.map(({ headers }) => headers['x-uspa-event-id'])).toEqual([
      order.id,
      identify.id,
    ]);
  });

  it('adds the configured headers', async () => {
    const { fetches } = await webhook({
      headers: { Authorization: 'Bearer r3ce1ver' },
    }).sendStored(aStoredEvent());
    expect(fetches[0]?.headers).toMatchObject({ authorization: 'Bearer r3ce1ver' });
  });

  it('throws on a non-2xx answer with the status, without the URL and its token', async () => {
    const { errors, metrics } = await webhook(
      {},
      { status: 503, body: 'upstream busy' },
    ).sendStored(aStoredEvent());
    expect(errors.map(({ message }) => message)).toEqual([
      'webhook hooks.acme.example answered 503: upstream busy',
    ]);
    expect(metrics).toEqual({});
  });

  it('throws on a network error', async () => {
    const { errors } = await testPlugin(webhookPlugin)
      .withConfig({ url, secret })
      .withFetch(() => {
        throw new Error('ENOTFOUND');
      })
      .sendStored(aStoredEvent());
    expect(errors.map(({ message }) => message)).toEqual([
      'ctx.fetch to hooks.acme.example failed: ENOTFOUND',
    ]);
  });

  it('validates its config', async () => {
    const setUp = (config: Record<string, unknown>) =>
      testPlugin(webhookPlugin).withConfig(config).setUp();
    expect(await setUp({ url, secret })).toEqual({
      url,
      secret,
      eventTypes: [
        'Tracked',
        'PageViewed',
        'ScreenViewed',
        'Identified',
        'GroupAssociated',
        'Aliased',
      ],
      timeoutMs: 10_000,
    });
    await expect(setUp({ secret })).rejects.toThrow('url is required');
    await expect(setUp({ url: 'ftp://files.acme.example/', secret })).rejects.toThrow(
      /url must match/,
    );
    await expect(setUp({ url, secret: 'short' })).rejects.toThrow(
      /secret must NOT have fewer than 16/,
    );
    await expect(setUp({ url, secret, eventTypes: ['ProfileErased'] })).rejects.toThrow(
      /eventTypes\.0 must be equal to one of the allowed values/,
    );
    await expect(setUp({ url, secret, headers: { 'X-USPA-Signature': 'x' } })).rejects.toThrow(
      'headers X-USPA-Signature are set by the plugin',
    );
  });
});
