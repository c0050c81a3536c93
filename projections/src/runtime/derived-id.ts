import { parse, v5 as uuidv5 } from 'uuid';

// The read side's own namespace for derived event ids: changing it would re-emit every decision.
// Parsed once, and names passed as UTF-8 bytes: the same ids as from strings, for less.
const NAMESPACE = parse('0b7e4a52-98c1-4f3e-8d27-6c5a1e9f4b10');

/**
 * A deterministic event id for something derived from the log (a merge decision, a parked
 * event): the same inputs always give the same id, so a replay appends nothing twice.
 *
 * @example
 * derivedId('ProfilesMerged', sourceEventId, mergedProfileId);
 */
export function derivedId(kind: string, ...parts: readonly string[]): string {
  return uuidv5(Buffer.from(`${kind}\u0000${parts.join('\u0000')}`), NAMESPACE);
}
