import { definePlugin, type PluginEvent } from '@uspa/sdk';
import { signWebhook } from './webhook-signature.js';

const VERSION = '1.0.0';

/**
 * The interaction events, one per tracking call: what a webhook sends unless told otherwise.
 *
 * @example
 * const config = { url, secret, eventTypes: [...INTERACTION_EVENT_TYPES, 'SegmentEntered'] };
 */
export const INTERACTION_EVENT_TYPES = [
  'Tracked',
  'PageViewed',
  'ScreenViewed',
  'Identified',
  'GroupAssociated',
  'Aliased',
] as const;
const DELIVERABLE_EVENT_TYPES = [...INTERACTION_EVENT_TYPES, 'SegmentEntered', 'SegmentExited'];

/** Headers the plugin sets itself: configuring them would break the receiver's verification. */
const OWN_HEADERS = [
  'content-type',
  'user-agent',
  'x-uspa-event-id',
  'x-uspa-timestamp',
  'x-uspa-signature',
];

/**
 * Configuration of the `webhook` plugin, after the host has applied the schema's defaults.
 *
 * @example
 * const config: WebhookConfig = {
 *   url: 'https://hooks.acme.example/uspa',
 *   secret: 'whsec_8d2f0c6b1a9e4d7f',
 *   eventTypes: ['Tracked'],
 *   eventNames: ['Order Completed'],
 *   headers: { authorization: 'Bearer r3ce1ver' },
 *   timeoutMs: 10_000,
 * };
 */
export interface WebhookConfig {
  url: string;
  secret: string;
  eventTypes: string[];
  /** Names of `Tracked` events to send; other types are not filtered by it. */
  eventNames?: string[];
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * A webhook destination: POSTs each stored event of the configured types to `url` as JSON
 * `{ id, type, streamId, position, recordedAt, data }`, signed in `x-uspa-signature` (receivers
 * check it with `verifyWebhookSignature`). A non-2xx answer or a network error throws, so the host
 * retries with backoff and then parks the event in the plugin's dead letters.
 *
 * @example
 * // PUT /v1/admin/plugins/webhook/config
 * { "url": "https://hooks.acme.example/uspa", "secret": "whsec_8d2f0c6b1a9e4d7f",
 *   "eventTypes": ["Tracked", "SegmentEntered"], "eventNames": ["Order Completed"] }
 */
export const webhookPlugin = definePlugin<WebhookConfig>({
  name: 'webhook',
  version: VERSION,
  host: '>=0.1.0 <1',
  description: 'Sends events to an HTTP endpoint as signed JSON POSTs.',
  configSchema: {
    type: 'object',
    properties: {
      url: {
        type: 'string',
        // A pattern, not `format: 'uri'`: formats need ajv-formats, which a host may not load.
        pattern: '^https?://[^\\s/?#]+',
        // ctx.fetch follows redirects as browsers do, turning a POST into a GET on 301/302/303.
        description: 'Where to POST: an http or https URL, the final one (not one that redirects).',
      },
      secret: {
        type: 'string',
        minLength: 16,
        writeOnly: true,
        description: 'Signs every request (x-uspa-signature); share it with the receiver only.',
      },
      eventTypes: {
        type: 'array',
        items: { enum: DELIVERABLE_EVENT_TYPES },
        uniqueItems: true,
        default: [...INTERACTION_EVENT_TYPES],
      },
      eventNames: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Only these track events (by name), e.g. ["Order Completed"].',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Extra request headers, e.g. an authorization the receiver expects.',
      },
      timeoutMs: { type: 'integer', minimum: 100, maximum: 30_000, default: 10_000 },
    },
    required: ['url', 'secret'],
    additionalProperties: false,
  },
  permissions: { network: ['config:url'], events: DELIVERABLE_EVENT_TYPES },

  setup({ config }) {
    const taken = Object.keys(config.headers ?? {}).filter((name) =>
      OWN_HEADERS.includes(name.toLowerCase()),
    );
    if (taken.length > 0) throw new Error(`headers ${taken.join(', ')} are set by the plugin`);
  },

  async onEvent(event, { config, fetch, metrics }) {
    if (!wanted(event, config)) return;
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      streamId: event.streamId,
      position: event.position,
      recordedAt: event.recordedAt,
      data: event.data,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    // A network error rejects here already worded for the dead letters (`ctx.fetch to <host>
    // failed: ECONNREFUSED`); it propagates as it is, and the host retries.
    const response = await fetch(config.url, {
      method: 'POST',
      headers: {
        ...config.headers,
        'content-type': 'application/json',
        'user-agent': `USPA-Webhook/${VERSION}`,
        'x-uspa-event-id': event.id,
        'x-uspa-timestamp': String(timestamp),
        'x-uspa-signature': signWebhook(config.secret, timestamp, body),
      },
      body,
      timeoutMs: config.timeoutMs,
    });
    if (!response.ok) {
      // The host, not the whole URL, goes into the error: a URL may carry a token.
      const host = new URL(config.url).host;
      const answer = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`webhook ${host} answered ${response.status}${answer && `: ${answer}`}`);
    }
    metrics.increment('webhook_delivered');
  },
});

function wanted(event: PluginEvent, config: WebhookConfig): boolean {
  if (!config.eventTypes.includes(event.type)) return false;
  if (event.type !== 'Tracked' || !config.eventNames) return true;
  return config.eventNames.includes(String(event.data.event));
}
