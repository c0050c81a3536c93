import { describe, expect, it } from 'vitest';
import type { Condition } from './condition.js';
import { checkCondition } from './condition-check.js';
import { findSegmentCycle, referencedSegments } from './condition-graph.js';

const errorsOf = (input: unknown) => {
  const checked = checkCondition(input);
  return checked.ok ? [] : checked.errors;
};

describe('checkCondition', () => {
  it('accepts a valid condition and hands it back', () => {
    const condition: Condition = {
      and: [
        { property: 'traits.plan', op: 'in', value: ['pro', 'team'] },
        {
          event: {
            type: 'Tracked',
            name: 'Order Completed',
            where: [{ property: 'properties.total', op: 'between', value: [50, 500] }],
            count: { min: 3 },
            within: { lastDays: 30 },
          },
        },
        { not: { segment: 'churned' } },
      ],
    };
    expect(checkCondition(condition)).toEqual({ ok: true, condition });
  });

  it('names the place and the fix for shape errors', () => {
    expect(errorsOf({ plan: 'pro' })).toEqual([
      'must be a condition: an object with one of and, or, not, property, event, segment',
    ]);
    expect(errorsOf({ and: [{ segment: 'vip', extra: 1 }] })).toEqual([
      'and[0]: unknown key "extra"',
    ]);
    expect(errorsOf({ property: 'traits.plan', op: 'is' })[0]).toMatch(
      /^op: must be one of equals, notEquals/,
    );
    expect(errorsOf({ event: { within: { lastDays: 0 } } })).toEqual([
      'event.within.lastDays: must be at least 1',
    ]);
    expect(
      errorsOf({ event: { within: { from: '2025-01-01', to: '2025-02-01T00:00:00Z' } } }),
    ).toEqual([
      'event.within.from: must be an ISO-8601 instant with an offset, like 2025-05-01T00:00:00Z',
    ]);
  });

  it('checks what the schema cannot: values per operator, bounds, paths', () => {
    expect(errorsOf({ event: { name: 'Order Completed', count: { min: 3, max: 1 } } })).toEqual([
      'event.count: min must be ≤ max',
    ]);
    expect(errorsOf({ property: 'traits.age', op: 'between', value: [40, 18] })).toEqual([
      'value: between needs low ≤ high',
    ]);
    expect(errorsOf({ property: 'traits.age', op: 'between', value: [1, '2'] })).toEqual([
      'value: between needs [low, high]: two numbers or two strings',
    ]);
    expect(errorsOf({ property: 'traits.tags', op: 'in', value: [] })).toEqual([
      'value: in needs a list of 1 to 1000 values',
    ]);
    expect(errorsOf({ property: 'traits.plan', op: 'exists', value: 'x' })).toEqual([
      'value: exists takes no value',
    ]);
    expect(errorsOf({ property: 'traits.vip', op: 'gt', value: true })).toEqual([
      'value: gt needs a number or a string (ISO-8601 times compare as strings)',
    ]);
    expect(errorsOf({ property: 'plan', op: 'exists' })[0]).toMatch(
      /^property: must start with traits\., computed\./,
    );
    expect(errorsOf({ event: { where: [{ property: 'total', op: 'gt', value: 50 }] } })).toEqual([
      'event.where[0].property: event properties are named properties.<name>',
    ]);
    expect(errorsOf({ property: 'traits."x"', op: 'exists' })).toEqual([
      'property: may not contain ", \\ or control characters',
    ]);
    expect(
      errorsOf({ event: { within: { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } } }),
    ).toEqual(['event.within: from must not be after to']);
  });

  it('refuses unsafe or unportable regular expressions, saying why', () => {
    expect(errorsOf({ property: 'traits.email', op: 'matchesRegex', value: '(a+)+$' })).toEqual([
      'value: unsupported pattern: nested quantifiers are not allowed: (a+)* can take exponential time',
    ]);
    expect(errorsOf({ property: 'traits.email', op: 'matchesRegex', value: '(\\w+)\\1' })).toEqual([
      'value: unsupported pattern: backreferences are not supported',
    ]);
  });

  it('limits depth and size before anything else', () => {
    let deep: Condition = { segment: 'vip' };
    for (let level = 0; level < 10; level++) deep = { not: deep };
    expect(errorsOf(deep)).toEqual(['conditions may nest at most 10 levels deep']);
    const wide = { or: Array.from({ length: 200 }, () => ({ segment: 'vip' })) };
    expect(errorsOf(wide)[0]).toMatch(/^a condition may have at most 200 parts/);
    // A tree far deeper than the validator's stack would allow is refused, not a crash.
    let abyss: unknown = { segment: 'vip' };
    for (let level = 0; level < 100_000; level++) abyss = { not: abyss };
    expect(errorsOf(abyss)).toEqual(['conditions may nest at most 10 levels deep']);
  });

  it('lists several errors at once', () => {
    expect(
      errorsOf({
        or: [
          { property: 'traits.age', op: 'between', value: [3, 1] },
          { event: { count: { min: 2, max: 1 } } },
        ],
      }),
    ).toEqual(['or[0].value: between needs low ≤ high', 'or[1].event.count: min must be ≤ max']);
  });
});

describe('segment references', () => {
  it('lists the referenced segments once each', () => {
    expect(
      referencedSegments({
        and: [{ segment: 'vip' }, { or: [{ not: { segment: 'churned' } }, { segment: 'vip' }] }],
      }),
    ).toEqual(['vip', 'churned']);
  });

  it('finds a cycle and returns its path', () => {
    const definitions = new Map<string, Condition>([
      ['a', { segment: 'b' }],
      ['b', { and: [{ segment: 'c' }, { segment: 'unknown' }] }],
      ['c', { not: { segment: 'a' } }],
      ['d', { segment: 'a' }],
    ]);
    expect(findSegmentCycle(definitions)).toEqual(['a', 'b', 'c', 'a']);
    definitions.set('c', { segment: 'd' });
    expect(findSegmentCycle(definitions)).toEqual(['a', 'b', 'c', 'd', 'a']);
    definitions.set('c', { property: 'traits.plan', op: 'exists' });
    expect(findSegmentCycle(definitions)).toBeUndefined();
    expect(findSegmentCycle(new Map([['self', { segment: 'self' }]]))).toEqual(['self', 'self']);
  });
});
