import type { EventCondition, PropertyCondition, Scalar } from './condition.js';
import { factValue, positiveTest, valueTest } from './condition-values.js';
import type { ActivityFacts, Fact } from './segment-view.js';

export const DAY_MS = 86_400_000;

/** An event condition compiled for the in-memory back end. */
export interface EventMatcher {
  /** Whether an entry has the type, name and properties asked for (the window aside). */
  entry(entry: ActivityFacts): boolean;
  /** Whether an entry's time lies in the window at `now`. */
  inWindow(at: number, now: number): boolean;
  /** Days of a `lastDays` window: entries leave it as time passes. */
  lastDays: number | undefined;
  min: number;
  /** `Infinity` without a maximum. */
  max: number;
}

/**
 * Compiles a validated event condition.
 * @example
 * const orders = compileEventMatcher({ event: { name: 'Order Completed', count: { min: 2 } } });
 * orders.min; // 2
 */
export function compileEventMatcher({ event }: EventCondition): EventMatcher {
  const { type, name } = event;
  const where = (event.where ?? []).map(compileEntryTest);
  const within = event.within;
  let inWindow: EventMatcher['inWindow'] = () => true;
  let lastDays: number | undefined;
  if (within !== undefined && 'lastDays' in within) {
    lastDays = within.lastDays;
    const span = within.lastDays * DAY_MS;
    inWindow = (at, now) => at >= now - span;
  } else if (within !== undefined) {
    const from = Date.parse(within.from);
    const to = Date.parse(within.to);
    inWindow = (at) => at >= from && at <= to;
  }
  return {
    entry: (entry) =>
      (type === undefined || entry.t === type) &&
      (name === undefined || entry.e === name) &&
      where.every((test) => test(entry.facts)),
    inWindow,
    lastDays,
    ...countBounds({ event }),
    max: event.count?.max ?? Infinity,
  };
}

/**
 * The bounds of an event condition's count. `min` defaults to 1 ("did it"), but to 0 when a
 * `max` is given: "at most twice" includes never, and `{ max: 0 }` means "never".
 */
export function countBounds({ event }: EventCondition): { min: number; max: number | undefined } {
  const max = event.count?.max;
  return { min: event.count?.min ?? (max === undefined ? 1 : 0), max };
}

/** Counts matching entries in the window; stops as soon as the answer is known. */
export function countMatches(
  matcher: EventMatcher,
  activity: readonly ActivityFacts[],
  now: number,
): boolean {
  const { min, max } = matcher;
  if (min === 0 && max === Infinity) return true;
  let count = 0;
  for (const entry of activity) {
    if (!matcher.inWindow(entry.at, now) || !matcher.entry(entry)) continue;
    count++;
    if (count > max) return false;
    if (count >= min && max === Infinity) return true;
  }
  return count >= min && count <= max;
}

function compileEntryTest(condition: PropertyCondition): (facts: readonly Fact[]) => boolean {
  const { test, negated } = positiveTest(condition);
  const accepts = valueTest(test);
  const path = condition.property;
  return (facts) => {
    let found = false;
    for (const fact of facts) {
      if (fact.p !== path) continue;
      const value: Scalar | undefined = factValue(fact);
      if (value !== undefined && accepts(value)) {
        found = true;
        break;
      }
    }
    return found !== negated;
  };
}
