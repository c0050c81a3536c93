import type { Condition, PropertyCondition, Scalar } from './condition.js';
import { factValue, positiveTest, valueTest } from './condition-values.js';
import { compileEventMatcher, countMatches } from './event-matcher.js';
import type { SegmentView } from './segment-view.js';

/**
 * The in-memory back end: one profile's view against a condition, on every profile change.
 * Conditions are compiled once into closures (regular expressions built once); a view's facts
 * are indexed by path once per view, however many conditions read them.
 */

/** A compiled condition; `now` is epoch milliseconds. */
export type CompiledCondition = (view: SegmentView, now: number) => boolean;

/**
 * Compiles a validated condition (see `checkCondition`).
 * @example
 * const pro = compileCondition({ property: 'traits.plan', op: 'equals', value: 'pro' });
 * pro(segmentView({ traits: { plan: 'pro' } }), Date.now()); // true
 */
export function compileCondition(condition: Condition): CompiledCondition {
  if ('and' in condition) {
    const parts = condition.and.map(compileCondition);
    return (view, now) => parts.every((part) => part(view, now));
  }
  if ('or' in condition) {
    const parts = condition.or.map(compileCondition);
    return (view, now) => parts.some((part) => part(view, now));
  }
  if ('not' in condition) {
    const part = compileCondition(condition.not);
    return (view, now) => !part(view, now);
  }
  if ('segment' in condition) {
    const id = condition.segment;
    return (view) => view.segments.has(id);
  }
  if ('event' in condition) {
    const matcher = compileEventMatcher(condition);
    return (view, now) => countMatches(matcher, view.activity, now);
  }
  return compileProperty(condition);
}

const compiled = new WeakMap<Condition, CompiledCondition>();

/**
 * Evaluates a validated condition against a view at `now`, compiling it once per condition
 * object (keep the object to benefit).
 * @example
 * evaluateCondition({ segment: 'vip' }, segmentView({ segments: ['vip'] }), { now: Date.now() });
 * // true
 */
export function evaluateCondition(
  condition: Condition,
  view: SegmentView,
  options: { now: number },
): boolean {
  let run = compiled.get(condition);
  if (run === undefined) {
    run = compileCondition(condition);
    compiled.set(condition, run);
  }
  return run(view, options.now);
}

function compileProperty(condition: PropertyCondition): CompiledCondition {
  const { test, negated } = positiveTest(condition);
  const path = condition.property;
  if (test.op === 'exists') return (view) => factsAt(view, path).length > 0 !== negated;
  const accepts = valueTest(test);
  return (view) => factsAt(view, path).some(accepts) !== negated;
}

const NONE: readonly Scalar[] = [];
const indexes = new WeakMap<SegmentView['facts'], Map<string, Scalar[]>>();

/** The values at a path, from an index built on first use for this view's facts. */
function factsAt(view: SegmentView, path: string): readonly Scalar[] {
  let index = indexes.get(view.facts);
  if (index === undefined) {
    index = new Map();
    for (const fact of view.facts) {
      const value = factValue(fact);
      if (value === undefined) continue;
      const values = index.get(fact.p);
      if (values === undefined) index.set(fact.p, [value]);
      else values.push(value);
    }
    indexes.set(view.facts, index);
  }
  return index.get(path) ?? NONE;
}
