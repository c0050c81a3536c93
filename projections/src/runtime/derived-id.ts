import { hash } from 'node:crypto';
import { parse, stringify } from 'uuid';

// The read side's own namespace for derived event ids: changing it would re-emit every decision.
const NAMESPACE = parse('0b7e4a52-98c1-4f3e-8d27-6c5a1e9f4b10');

/**
 * A deterministic event id for something derived from the log (a merge decision, a parked
 * event): the same inputs always give the same id, so a replay appends nothing twice.
 *
 * @example
 * derivedId('ProfilesMerged', sourceEventId, mergedProfileId);
 */
export function derivedId(kind: string, ...parts: readonly string[]): string {
  return nameBasedUuid(NAMESPACE, `${kind}\u0000${parts.join('\u0000')}`);
}

/**
 * The version 5 (SHA-1, name-based) UUID of `name` in `namespace`, as `uuid`'s `v5` gives it.
 * One-shot `hash`: `v5` makes a Hash object per id (one per ingested event, per segment change),
 * and each leaves a native handle for the next young-generation collection to finalise.
 *
 * @example
 * nameBasedUuid(parse('6ba7b811-9dad-11d1-80b4-00c04fd430c8'), 'https://example.com');
 */
export function nameBasedUuid(namespace: Uint8Array, name: string): string {
  const digest = hash('sha1', Buffer.concat([namespace, Buffer.from(name)]), 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  return stringify(digest);
}
