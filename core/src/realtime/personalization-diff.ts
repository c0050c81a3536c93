import type { PersonalizationChange, SlotContent } from '@uspa/sdk';
import { isDeepStrictEqual } from 'node:util';

/** What a visitor was last sent: the segments and every slot that has content. */
export interface SentPersonalization {
  segments: readonly string[];
  content: Readonly<Record<string, SlotContent>>;
}

/**
 * Only what differs between what the visitor has and what it should have now: the segments when
 * they changed (order does not count), each slot whose content changed, and `null` for a slot
 * whose content was withdrawn. Undefined when nothing differs, so nothing is sent.
 *
 * @example
 * diffPersonalization(
 *   { segments: ['a'], content: { hero: heroA, banner } },
 *   { segments: ['a', 'vip'], content: { hero: heroVip, banner } },
 * ); // { segments: ['a', 'vip'], content: { hero: heroVip } }
 */
export function diffPersonalization(
  before: SentPersonalization,
  after: SentPersonalization,
): PersonalizationChange | undefined {
  const change: PersonalizationChange = {};
  if (!sameMembers(before.segments, after.segments)) change.segments = [...after.segments];
  // Entries, not assignments: a slot named `__proto__` stays an ordinary key.
  const content: [string, SlotContent | null][] = [];
  for (const [slot, next] of Object.entries(after.content)) {
    const previous = Object.hasOwn(before.content, slot) ? before.content[slot] : undefined;
    if (!isDeepStrictEqual(previous, next)) content.push([slot, next]);
  }
  for (const slot of Object.keys(before.content)) {
    if (!Object.hasOwn(after.content, slot)) content.push([slot, null]);
  }
  if (content.length > 0) change.content = Object.fromEntries(content);
  return change.segments || change.content ? change : undefined;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((segment) => right.has(segment));
}
