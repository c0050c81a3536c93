import type { Condition } from './condition.js';

/**
 * What a set of conditions reads of a segment view: the fact paths of their property
 * conditions, and the activity entries their event conditions can count. Evaluating a live
 * profile change builds only that part of the view (see `segmentView`), and gets the same
 * answers as from the whole view.
 */
export interface ViewScope {
  /** Fact paths read, exactly as conditions name them. */
  paths: ReadonlySet<string>;
  /** Activity read: none, only entries with one of these names, or every entry. */
  activity: 'none' | 'all' | ReadonlySet<string>;
}

/**
 * The scope of `conditions` together.
 * @example
 * viewScope([{ and: [
 *   { property: 'traits.plan', op: 'equals', value: 'pro' },
 *   { event: { name: 'Order Completed', count: { min: 2 } } },
 * ] }]);
 * // { paths: Set { 'traits.plan' }, activity: Set { 'Order Completed' } }
 */
export function viewScope(conditions: Iterable<Condition>): ViewScope {
  const paths = new Set<string>();
  const names = new Set<string>();
  let everyEntry = false;
  const visit = (condition: Condition): void => {
    if ('and' in condition) condition.and.forEach(visit);
    else if ('or' in condition) condition.or.forEach(visit);
    else if ('not' in condition) visit(condition.not);
    else if ('event' in condition) {
      // An event condition without a name counts entries of every name (or none).
      if (condition.event.name === undefined) everyEntry = true;
      else names.add(condition.event.name);
    } else if ('property' in condition) paths.add(condition.property);
    // Membership in another segment reads the view's segments, always there.
  };
  for (const condition of conditions) visit(condition);
  const activity = everyEntry ? 'all' : names.size > 0 ? names : 'none';
  return { paths, activity };
}
