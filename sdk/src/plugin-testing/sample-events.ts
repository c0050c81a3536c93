import type { CallType, PluginEvent, TrackingEvent } from '../plugin/index.js';

// Fixed times, so a test's expected output never depends on the clock; fresh ids, so events of
// one batch are told apart in `dropped` and `errors`.
const SENT_AT = '2026-11-29T10:00:00.000Z';
const RECEIVED_AT = '2026-11-29T10:00:00.120Z';
const RECORDED_AT = '2026-11-29T10:00:00.135Z';

const browserContext = (): Record<string, unknown> => ({
  ip: '81.2.69.160',
  userAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  locale: 'en-GB',
  timezone: 'Europe/London',
  library: { name: 'analytics.js', version: '5.2.0' },
  page: {
    url: 'https://shop.example/products/ceramic-mug',
    path: '/products/ceramic-mug',
    title: 'Ceramic mug | Shop',
    referrer: 'https://www.google.com/',
  },
});

function base(type: CallType): TrackingEvent {
  return {
    type,
    messageId: crypto.randomUUID(),
    anonymousId: '6c1f3a52-3b8e-4f5e-9d1a-2b7c0e4f8a91',
    timestamp: SENT_AT,
    originalTimestamp: SENT_AT,
    sentAt: SENT_AT,
    receivedAt: RECEIVED_AT,
    context: browserContext(),
    properties: {},
    traits: {},
    enrichment: {},
  };
}

/**
 * A `track` call as a browser sends it (`Product Viewed`, with page context), as `enrich`
 * receives it. Top-level fields of `overrides` replace the sample's.
 *
 * @example
 * aTrackingEvent({ event: 'Order Completed', properties: { revenue: 42, currency: 'EUR' } });
 */
export function aTrackingEvent(overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  return {
    ...base('track'),
    event: 'Product Viewed',
    properties: { product_id: 'sku-1042', name: 'Ceramic mug', price: 18.5, currency: 'GBP' },
    ...overrides,
  };
}

/**
 * A `page` call of a product page.
 *
 * @example
 * aPageView({ context: { page: { url: 'https://shop.example/?utm_source=news' } } });
 */
export function aPageView(overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  const { page } = browserContext() as { page: Record<string, unknown> };
  return { ...base('page'), name: 'Ceramic mug', properties: { ...page }, ...overrides };
}

/**
 * An `identify` call of a signed-up user, with `email` and `name` traits.
 *
 * @example
 * anIdentify({ traits: { email: 'ada@acme.co.uk' } });
 */
export function anIdentify(overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  return {
    ...base('identify'),
    userId: 'user-42',
    traits: { email: 'ada.lovelace@acme.co.uk', name: 'Ada Lovelace', plan: 'team' },
    ...overrides,
  };
}

// The host's event type per call (the log's names; they never change meaning).
const EVENT_TYPES: Readonly<Record<CallType, string>> = {
  track: 'Tracked',
  identify: 'Identified',
  page: 'PageViewed',
  screen: 'ScreenViewed',
  group: 'GroupAssociated',
  alias: 'Aliased',
};

let nextPosition = 1000;

/**
 * The event the host records for a tracking call, as `onEvent`/`onBatch` receive it: `data` is
 * the call without `type`, the stream is the user's (or the anonymous visitor's). Positions go up
 * with every call, as they do in the log.
 *
 * @example
 * const stored = storedEventOf(anIdentify({ traits: { email: 'ada@acme.co.uk' } }));
 * // { type: 'Identified', streamId: 'user-user-42', data: { userId: 'user-42', traits: … }, … }
 */
export function storedEventOf(
  event: TrackingEvent,
  overrides: Partial<PluginEvent> = {},
): PluginEvent {
  const { type, ...data } = structuredClone(event);
  return {
    id: crypto.randomUUID(),
    type: EVENT_TYPES[type],
    streamId: event.userId !== undefined ? `user-${event.userId}` : `anon-${event.anonymousId}`,
    position: nextPosition++,
    recordedAt: RECORDED_AT,
    data,
    metadata: { receivedAt: event.receivedAt, source: 'web', channel: 'http', schemaVersion: 1 },
    ...overrides,
  };
}

/**
 * A stored `Tracked` event (`Order Completed` by `user-42`) as consumer hooks receive it. Top-level
 * fields of `overrides` replace the sample's.
 *
 * @example
 * aStoredEvent({ type: 'SegmentEntered', data: { profileId: 'p-1', segmentId: 'vip' } });
 */
export function aStoredEvent(overrides: Partial<PluginEvent> = {}): PluginEvent {
  const order = aTrackingEvent({
    userId: 'user-42',
    event: 'Order Completed',
    properties: {
      order_id: 'o-7781',
      revenue: 37,
      currency: 'GBP',
      products: [{ sku: 'sku-1042' }],
    },
  });
  return storedEventOf(order, overrides);
}
