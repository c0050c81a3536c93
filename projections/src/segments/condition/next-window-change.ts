import type { Condition } from './condition.js';
import { compileEventMatcher, DAY_MS, type EventMatcher } from './event-matcher.js';
import type { SegmentView } from './segment-view.js';

/**
 * When a condition must be evaluated again without a new event: a `lastDays` window moves with
 * the clock, and an entry that leaves it can turn "bought 3 times in 30 days" false, or "never
 * in 30 days" true. Fixed `{ from, to }` windows never move.
 */

const compiled = new WeakMap<Condition, EventMatcher[]>();

/**
 * The earliest instant after `now` (epoch ms) at which an entry counted by a `lastDays` event
 * condition leaves its window, or undefined when no window of the condition can move the
 * result. Conservative: the answer may stay the same at that instant, never change before it.
 * @example
 * const bought = { event: { name: 'Order Completed', within: { lastDays: 30 } } };
 * nextWindowChange(bought, view, now); // at + 30 days + 1 ms of the oldest order in the window
 */
export function nextWindowChange(
  condition: Condition,
  view: SegmentView,
  now: number,
): number | undefined {
  let matchers = compiled.get(condition);
  if (matchers === undefined) {
    matchers = [];
    collectWindows(condition, matchers);
    compiled.set(condition, matchers);
  }
  let earliest: number | undefined;
  for (const matcher of matchers) {
    const span = matcher.lastDays! * DAY_MS;
    for (const entry of view.activity) {
      // In the window while at >= now - span: it leaves one millisecond after at + span.
      const leaves = entry.at + span + 1;
      if (leaves <= now || (earliest !== undefined && leaves >= earliest)) continue;
      if (matcher.entry(entry)) earliest = leaves;
    }
  }
  return earliest;
}

function collectWindows(condition: Condition, matchers: EventMatcher[]): void {
  if ('and' in condition) condition.and.forEach((part) => collectWindows(part, matchers));
  else if ('or' in condition) condition.or.forEach((part) => collectWindows(part, matchers));
  else if ('not' in condition) collectWindows(condition.not, matchers);
  else if ('event' in condition && condition.event.within && 'lastDays' in condition.event.within) {
    const matcher = compileEventMatcher(condition);
    // "At least 0, no maximum" holds whatever leaves the window; every other bound can flip.
    if (matcher.min > 0 || matcher.max !== Infinity) matchers.push(matcher);
  }
}
