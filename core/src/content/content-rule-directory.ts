import {
  CONTENT_RULE_DEFINED,
  CONTENT_RULE_DELETED,
  type Condition,
  type ContentRule,
  type ContentRuleDeleted,
  type SlotContent,
} from '../domain/content-rules.js';
import type { RecordedEvent } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import { compileUrlPattern, pageAddressOf, type UrlMatcher } from './url-pattern.js';

export const CONTENT_RULE_DIRECTORY = Symbol('ContentRuleDirectory');

/** Who is looking: the segments their profile is in, and how to test a rule's own condition. */
export interface ContentAudience {
  segments: ReadonlySet<string>;
  /** Evaluates a condition against the visitor's profile; without it, condition rules never apply. */
  matches?: (condition: Condition) => boolean;
}

/** What changed: the rule, and the slots whose content may now differ (old and new slot). */
export interface ContentRuleChange {
  ruleId: string;
  slots: string[];
  /** The rule as it now is; absent once deleted. */
  rule?: ContentRule;
}

interface CompiledRule {
  rule: ContentRule;
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  matchesUrl: UrlMatcher;
}

/**
 * The content rules in force, followed live from the `contentrule-*` streams, and the answer to
 * "what does this visitor get in each slot of this page". Rules are kept per slot in precedence
 * order with their URL patterns compiled, so resolving — done for every connected visitor on every
 * change — is a walk down each slot's list to the first rule that applies.
 *
 * @example
 * const rules = new ContentRuleDirectory();
 * new LogFollower(store, logger, STREAM_PREFIX.contentRule, (event) => rules.apply(event));
 * rules.resolve({ segments: new Set(['trial-users']) }, 'https://shop.example/pricing', Date.now());
 * // { hero: { ruleId: '0b6f…', slot: 'hero', content: { title: 'Go Pro' } } }
 */
export class ContentRuleDirectory {
  readonly #byId = new Map<string, CompiledRule>();
  readonly #bySlot = new Map<string, CompiledRule[]>();
  /** Ids are never reused, so a definition arriving after its deletion is stale. */
  readonly #deleted = new Set<string>();
  readonly #listeners = new Set<(change: ContentRuleChange) => void>();

  /** `logger` reports a change listener that throws; the other listeners are still called. */
  constructor(private readonly logger?: Pick<Logger, 'error'>) {}

  /**
   * Applies one event. The API applies its own writes at once and the log follower applies them
   * again later: an event already applied (same or older version) changes nothing and notifies no one.
   */
  apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
    if (event.type === CONTENT_RULE_DEFINED) this.#define(event.data as ContentRule);
    else if (event.type === CONTENT_RULE_DELETED)
      this.#delete((event.data as ContentRuleDeleted).id);
  }

  /** Every rule, by slot, then in the order they compete for it. */
  list(filter: { slot?: string } = {}): ContentRule[] {
    const slots = filter.slot === undefined ? [...this.#bySlot.keys()].sort() : [filter.slot];
    return slots.flatMap((slot) => (this.#bySlot.get(slot) ?? []).map((entry) => entry.rule));
  }

  get(id: string): ContentRule | undefined {
    return this.#byId.get(id)?.rule;
  }

  /** Calls `listener` after every event that changed a rule; returns the unsubscribe function. */
  onChange(listener: (change: ContentRuleChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The content of every slot for one visitor on one page at `now` (epoch ms). Per slot, among the
   * rules active at `now` (startsAt ≤ now < endsAt) whose URL pattern matches `url` and whose
   * audience holds, the highest priority wins; ties go to a targeted audience over everyone, then
   * to the most recently updated rule, then to the smallest id. Slots with no such rule are absent.
   */
  resolve(
    audience: ContentAudience,
    url: string | undefined,
    now: number,
  ): Record<string, SlotContent> {
    const page = pageAddressOf(url);
    const content: Record<string, SlotContent> = {};
    for (const [slot, entries] of this.#bySlot) {
      const winner = entries.find(
        (entry) =>
          entry.startsAt <= now &&
          now < entry.endsAt &&
          entry.matchesUrl(page) &&
          holds(entry.rule, audience),
      );
      if (winner) content[slot] = { ruleId: winner.rule.id, slot, content: winner.rule.content };
    }
    return content;
  }

  /**
   * The first moment after `now` (epoch ms) at which a rule starts or ends, when the content in
   * force changes without any event; undefined when no rule has such a time ahead.
   */
  nextTimeAfter(now: number): number | undefined {
    let next: number | undefined;
    for (const { startsAt, endsAt } of this.#byId.values()) {
      for (const time of [startsAt, endsAt]) {
        if (time > now && Number.isFinite(time) && (next === undefined || time < next)) next = time;
      }
    }
    return next;
  }

  #define(rule: ContentRule): void {
    const previous = this.#byId.get(rule.id);
    if (this.#deleted.has(rule.id) || (previous && previous.rule.version >= rule.version)) return;
    if (previous) this.#removeFromSlot(previous);
    const compiled: CompiledRule = {
      rule,
      startsAt: rule.startsAt === undefined ? -Infinity : Date.parse(rule.startsAt),
      endsAt: rule.endsAt === undefined ? Infinity : Date.parse(rule.endsAt),
      updatedAt: Date.parse(rule.updatedAt),
      matchesUrl: compileUrlPattern(rule.urlPattern),
    };
    this.#byId.set(rule.id, compiled);
    const entries = [...(this.#bySlot.get(rule.slot) ?? []), compiled].sort(byPrecedence);
    this.#bySlot.set(rule.slot, entries);
    const slots =
      previous && previous.rule.slot !== rule.slot ? [previous.rule.slot, rule.slot] : [rule.slot];
    this.#notify({ ruleId: rule.id, slots, rule });
  }

  #delete(id: string): void {
    this.#deleted.add(id);
    const previous = this.#byId.get(id);
    if (!previous) return;
    this.#byId.delete(id);
    this.#removeFromSlot(previous);
    this.#notify({ ruleId: id, slots: [previous.rule.slot] });
  }

  #removeFromSlot(entry: CompiledRule): void {
    const remaining = (this.#bySlot.get(entry.rule.slot) ?? []).filter((other) => other !== entry);
    if (remaining.length > 0) this.#bySlot.set(entry.rule.slot, remaining);
    else this.#bySlot.delete(entry.rule.slot);
  }

  #notify(change: ContentRuleChange): void {
    // A failing listener must not stop the log follower that called apply, nor the other listeners.
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger?.error({ err: error, ruleId: change.ruleId }, 'content rule listener failed');
      }
    }
  }
}

function holds(rule: ContentRule, audience: ContentAudience): boolean {
  if (rule.segmentId !== undefined) return audience.segments.has(rule.segmentId);
  if (rule.condition !== undefined) return audience.matches?.(rule.condition) === true;
  return true;
}

function byPrecedence(a: CompiledRule, b: CompiledRule): number {
  return (
    b.rule.priority - a.rule.priority ||
    targeted(b.rule) - targeted(a.rule) ||
    b.updatedAt - a.updatedAt ||
    (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0)
  );
}

function targeted(rule: ContentRule): number {
  return rule.segmentId !== undefined || rule.condition !== undefined ? 1 : 0;
}
