import type { PropertyCondition, PropertyOperator, Scalar } from './condition.js';
import { toJsRegExp } from './regex-translation.js';
import type { Fact } from './segment-view.js';

/**
 * The meaning of property operators, shared by the back ends: each negative operator is the
 * negation of a positive one over all values at the path (`notEquals` = not any value equals, so
 * a missing property is not equal), and each back end implements the positive ones only.
 */

export type PositiveOperator = Exclude<PropertyOperator, 'notEquals' | 'notIn' | 'missing'>;

/** A property condition as back ends compile it (validated: the value fits the operator). */
export type PositiveTest =
  | { op: 'equals'; value: Scalar }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number | string }
  | { op: 'between'; value: [number, number] | [string, string] }
  | { op: 'exists' }
  | { op: 'contains' | 'startsWith' | 'endsWith' | 'matchesRegex'; value: string }
  | { op: 'in'; value: Scalar[] };

const NEGATIONS: Partial<Record<PropertyOperator, PositiveOperator>> = {
  notEquals: 'equals',
  notIn: 'in',
  missing: 'exists',
};

/**
 * The positive test of a validated property condition, and whether its result is negated.
 * @example
 * positiveTest({ property: 'traits.plan', op: 'notIn', value: ['free'] });
 * // { test: { op: 'in', value: ['free'] }, negated: true }
 */
export function positiveTest(condition: PropertyCondition): {
  test: PositiveTest;
  negated: boolean;
} {
  const negation = NEGATIONS[condition.op];
  const op = negation ?? condition.op;
  const test = (op === 'exists' ? { op } : { op, value: condition.value }) as PositiveTest;
  return { test, negated: negation !== undefined };
}

/**
 * Compares strings by code point, as SQLite (UTF-8 bytes) and Lucene (UTF-8 bytes) do; `<` on
 * JavaScript strings compares UTF-16 units, which orders U+E000–U+FFFF after astral characters.
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after everything in the BMP.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
      y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Whether a path or name can be a quoted label of an SQLite JSON path (`$.f."traits.plan"`):
 * not empty, without `"`, `\` or control characters.
 */
export function isQuotableLabel(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** The scalar a fact holds. */
export function factValue(fact: Fact): Scalar | undefined {
  return fact.s ?? fact.n ?? fact.b;
}

/** A compiled positive test of one value; regular expressions are built once, here. */
export function valueTest(test: PositiveTest): (value: Scalar) => boolean {
  switch (test.op) {
    case 'equals': {
      const expected = test.value;
      return (value) => value === expected;
    }
    case 'exists':
      return () => true;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return rangeTest(test);
    case 'between': {
      const [low, high] = test.value;
      return typeof low === 'number'
        ? (value) => typeof value === 'number' && value >= low && value <= (high as number)
        : (value) =>
            typeof value === 'string' &&
            compareText(value, low) >= 0 &&
            compareText(value, high as string) <= 0;
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const { op, value: part } = test;
      const method = op === 'contains' ? 'includes' : op;
      return (value) => typeof value === 'string' && value[method](part);
    }
    case 'in': {
      const allowed = new Set<Scalar>(test.value);
      return (value) => allowed.has(value);
    }
    case 'matchesRegex': {
      const regex = toJsRegExp(test.value);
      return (value) => typeof value === 'string' && regex.test(value);
    }
  }
}

function rangeTest(test: {
  op: 'gt' | 'gte' | 'lt' | 'lte';
  value: number | string;
}): (value: Scalar) => boolean {
  const bound = test.value;
  const order: (value: Scalar) => number | undefined =
    typeof bound === 'number'
      ? (value) => (typeof value === 'number' ? Math.sign(value - bound) : undefined)
      : (value) => (typeof value === 'string' ? compareText(value, bound) : undefined);
  switch (test.op) {
    case 'gt':
      return (value) => (order(value) ?? 0) > 0;
    case 'gte':
      return (value) => (order(value) ?? -1) >= 0;
    case 'lt':
      return (value) => (order(value) ?? 0) < 0;
    case 'lte':
      return (value) => (order(value) ?? 1) <= 0;
  }
}
