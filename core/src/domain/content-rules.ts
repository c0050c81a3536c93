import type { SegmentDefinition } from '@uspa/projections';
import type { SlotContent } from '@uspa/sdk';

/** The segment condition language (design §8): a rule's audience is written exactly as a segment's. */
export type Condition = SegmentDefinition['condition'];
export type { SlotContent };

/**
 * A content rule (design §9): "visitors in this audience, on pages matching this pattern, get this
 * content in this slot". Configuration is event-sourced: each rule lives in its own
 * `contentrule-{id}` stream.
 *
 * @example
 * const rule: ContentRule = {
 *   id: '0b6f…', name: 'Pro upsell on pricing', slot: 'hero',
 *   segmentId: 'trial-users', urlPattern: '/pricing*',
 *   content: { title: 'Go Pro', link: '/upgrade' }, priority: 10,
 *   createdAt: '2026-03-01T09:00:00.000Z', updatedAt: '2026-03-01T09:00:00.000Z', version: 1,
 * };
 */
export interface ContentRule {
  id: string;
  name: string;
  /** Where the content goes on the page: the browser SDK renders it into `data-uspa-slot="…"`. */
  slot: string;
  /** The audience: members of this segment. Exclusive with {@link condition}; neither = everyone. */
  segmentId?: string;
  /** The audience: profiles for which this segment condition holds. */
  condition?: Condition;
  /**
   * Pages it applies to: a `*` glob over the URL path (`/pricing*`, `/blog/*`), or over the whole
   * URL without its query when it starts with `http` (`https://shop.example/sale/*`). None = every page.
   */
  urlPattern?: string;
  /**
   * Any JSON fields (`title`, `body`, `image`, `link`, `html`, …). An `html` string is stored as
   * given: the browser SDK sanitises it before it touches the page.
   */
  content: Record<string, unknown>;
  /** −1000..1000; the highest active, matching rule of a slot wins. */
  priority: number;
  /** ISO-8601 instant from which the rule is active (inclusive). */
  startsAt?: string;
  /** ISO-8601 instant at which the rule stops being active (exclusive). */
  endsAt?: string;
  createdAt: string;
  updatedAt: string;
  /** 1 for the first definition, then one more per change: the `ETag` / `If-Match` of the API. */
  version: number;
}

/** What an administrator sends: a rule without its id, timestamps and version. */
export type ContentRuleInput = Omit<ContentRule, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

/** A rule was created or replaced; the event carries the whole rule. */
export const CONTENT_RULE_DEFINED = 'ContentRuleDefined';
/** A rule was deleted; its id is never used again. */
export const CONTENT_RULE_DELETED = 'ContentRuleDeleted';

export type ContentRuleDefined = ContentRule;

export interface ContentRuleDeleted {
  id: string;
  deletedAt: string;
}

/**
 * The event store revision of the event that defined a rule's version: versions start at 1 while
 * stream revisions start at 0, so `If-Match: "3"` means "the stream's last revision is 2".
 */
export function revisionOfVersion(version: number): number {
  return version - 1;
}

/** The version a rule gets when its defining event lands at this stream revision. */
export function versionAtRevision(revision: number): number {
  return revision + 1;
}
