import { nameBasedUuid } from '@uspa/projections';
import { parse } from 'uuid';

// Fixed namespace of USPA's derived event ids: changing it would break deduplication.
const NAMESPACE = parse('5f1c7d8e-3b2a-4c6d-9e0f-1a2b3c4d5e6f');

/**
 * The id of the event stored for a tracking call: the same source and messageId always give the
 * same id, so a retried call is stored once.
 *
 * @example
 * trackingEventId('web', 'msg-1') === trackingEventId('web', 'msg-1'); // true
 */
export function trackingEventId(sourceId: string, messageId: string): string {
  return nameBasedUuid(NAMESPACE, `tracking\u0000${sourceId}\u0000${messageId}`);
}

/** A deterministic id for an event derived from another one (reactors, dead letters). */
export function derivedEventId(kind: string, ...parts: string[]): string {
  return nameBasedUuid(NAMESPACE, `${kind}\u0000${parts.join('\u0000')}`);
}
