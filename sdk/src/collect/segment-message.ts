import type { CallType } from '../plugin/tracking-event.js';

/**
 * A JSON object as tracking calls carry it in `properties`, `traits` and `context`.
 *
 * @example
 * const properties: JsonObject = { plan: 'pro', seats: 5 };
 */
export type JsonObject = Record<string, unknown>;

/**
 * One Segment-spec message as the SDKs send it to `POST /v1/batch`. `messageId` is the idempotency
 * key: the server stores a message once however often a retry or a beacon resends it.
 *
 * @example
 * const message: SegmentMessage = {
 *   type: 'track', event: 'Order Completed', properties: { total: 42 },
 *   messageId: crypto.randomUUID(), anonymousId: 'a-1', timestamp: new Date().toISOString(),
 *   context: { library: { name: 'uspa-node', version: '0.1.0' } },
 * };
 */
export interface SegmentMessage {
  type: Exclude<CallType, 'screen'>;
  messageId: string;
  anonymousId?: string;
  userId?: string;
  /** `track`: the event name. */
  event?: string;
  /** `page`: the page name. */
  name?: string;
  groupId?: string;
  previousId?: string;
  properties?: JsonObject;
  traits?: JsonObject;
  timestamp: string;
  context: JsonObject;
}

/**
 * The body of `POST /v1/batch`. Sent as `text/plain` from browsers (no CORS preflight, and what
 * `navigator.sendBeacon` sends).
 *
 * @example
 * const body: BatchBody = { writeKey: 'uspa_wk_…', batch: [message], sentAt: new Date().toISOString() };
 */
export interface BatchBody {
  writeKey: string;
  batch: SegmentMessage[];
  sentAt: string;
}

/**
 * The body of one batch request, stamped with the time it leaves.
 *
 * @example
 * await fetch(`${host}/v1/batch`, { method: 'POST', body: batchBody(writeKey, queued) });
 */
export function batchBody(writeKey: string, batch: SegmentMessage[]): string {
  const body: BatchBody = { writeKey, batch, sentAt: new Date().toISOString() };
  return JSON.stringify(body);
}
