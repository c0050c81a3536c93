/** The Segment-spec call a tracking event came from. */
export type CallType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/**
 * A tracking call as the ingestion pipeline hands it to enrichment plugins: validated,
 * normalised (ids as strings, ISO timestamps with clock skew corrected), with everything the
 * caller sent kept. Plugins add what they derive under `enrichment`, never elsewhere.
 *
 * @example
 * const event: TrackingEvent = {
 *   type: 'page', messageId: 'm-1', anonymousId: 'a-1', name: 'Pricing',
 *   timestamp: '2026-11-29T10:00:00.000Z', receivedAt: '2026-11-29T10:00:00.120Z',
 *   context: { ip: '81.2.69.160', page: { url: 'https://shop.example/pricing' } },
 *   properties: {}, enrichment: {},
 * };
 */
export interface TrackingEvent {
  type: CallType;
  messageId: string;
  anonymousId?: string;
  userId?: string;
  /** `track`: the event name, e.g. `Order Completed`. */
  event?: string;
  /** `page` / `screen`: the page or screen name. */
  name?: string;
  /** `page`: the page category. */
  category?: string;
  /** `group`: the group id. */
  groupId?: string;
  /** `alias`: the previous id. */
  previousId?: string;
  /** When it happened, corrected for the sender's clock skew. */
  timestamp: string;
  /** The sender's own timestamp, when it sent one. */
  originalTimestamp?: string;
  sentAt?: string;
  receivedAt: string;
  context: Record<string, unknown>;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** What enrichment plugins derived (geo, device, campaign, topics, …), by plugin concern. */
  enrichment: Record<string, unknown>;
}
