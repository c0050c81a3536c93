import type { JsonObject } from '../collect/segment-message.js';

/**
 * Every call names the person: a user id, an anonymous id, or both.
 *
 * @example
 * const who: CallIdentity = { anonymousId: request.cookies.uspa_aid };
 */
export type CallIdentity =
  { userId: string; anonymousId?: string } | { userId?: string; anonymousId: string };

/**
 * Fields every call may set; the client fills in what is left out.
 *
 * @example
 * client.track({ userId: 'u1', event: 'Imported', messageId: `import-${row.id}`, timestamp: row.at });
 */
export interface CallOptions {
  /** Idempotency key (default: a new UUID). Reuse it when you resend the same fact. */
  messageId?: string;
  /** When it happened (default: now). */
  timestamp?: Date | string;
  /** Segment `context` (ip, userAgent, page, …); `library` is set by the client. */
  context?: JsonObject;
}

/**
 * @example
 * client.track({ userId: 'user-42', event: 'Order Completed', properties: { total: 42 } });
 */
export type TrackCall = CallIdentity & CallOptions & { event: string; properties?: JsonObject };

/**
 * @example
 * client.identify({ userId: 'user-42', traits: { email: 'ada@example.com', plan: 'pro' } });
 */
export type IdentifyCall = CallIdentity & CallOptions & { traits?: JsonObject };

/**
 * @example
 * client.page({ anonymousId: 'a-1', name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
 */
export type PageCall = CallIdentity & CallOptions & { name?: string; properties?: JsonObject };

/**
 * @example
 * client.group({ userId: 'user-42', groupId: 'acme', traits: { employees: 120 } });
 */
export type GroupCall = CallIdentity & CallOptions & { groupId: string; traits?: JsonObject };

/**
 * @example
 * client.alias({ userId: 'user-42', previousId: 'legacy-7' });
 */
export type AliasCall = CallOptions & { userId: string; previousId: string };
