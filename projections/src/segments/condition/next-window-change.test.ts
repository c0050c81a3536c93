import { describe, expect, it } from 'vitest';
import type { Condition } from './condition.js';
import { evaluateCondition } from './condition-evaluate.js';
import { nextWindowChange } from './next-window-change.js';
import { segmentView } from './segment-view.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const DAY = 86_400_000;
const entry = (name: string, daysAgo: number, total = 10) => ({
  type: 'Tracked',
  name,
  at: new Date(NOW - daysAgo * DAY).toISOString(),
  properties: { total },
});
const view = segmentView({
  activity: [
    entry('Order Completed', 25, 80),
    entry('Order Completed', 5, 20),
    entry('Signed Up', 29),
  ],
});

describe('nextWindowChange', () => {
  it('is when the oldest matching entry in a lastDays window leaves it', () => {
    const bought: Condition = { event: { name: 'Order Completed', within: { lastDays: 30 } } };
    const at = nextWindowChange(bought, view, NOW);
    expect(at).toBe(NOW - 25 * DAY + 30 * DAY + 1);
    // Until that instant the answer holds; at it, the entry has left.
    const twice: Condition = {
      event: { name: 'Order Completed', within: { lastDays: 30 }, count: { min: 2 } },
    };
    expect(evaluateCondition(twice, view, { now: at! - 1 })).toBe(true);
    expect(evaluateCondition(twice, view, { now: at! })).toBe(false);
  });

  it('only counts entries the condition would count', () => {
    const big: Condition = {
      event: {
        name: 'Order Completed',
        where: [{ property: 'properties.total', op: 'lt', value: 50 }],
        within: { lastDays: 30 },
      },
    };
    expect(nextWindowChange(big, view, NOW)).toBe(NOW - 5 * DAY + 30 * DAY + 1);
  });

  it('takes the earliest over every window in the tree, negated ones included', () => {
    const condition: Condition = {
      and: [
        { not: { event: { name: 'Signed Up', within: { lastDays: 30 } } } },
        { event: { name: 'Order Completed', within: { lastDays: 7 } } },
      ],
    };
    expect(nextWindowChange(condition, view, NOW)).toBe(NOW + DAY + 1);
  });

  it('is undefined without a moving window or a matching entry in it', () => {
    expect(nextWindowChange({ property: 'traits.plan', op: 'exists' }, view, NOW)).toBeUndefined();
    const fixed: Condition = {
      event: {
        name: 'Order Completed',
        within: { from: '2025-01-01T00:00:00Z', to: '2025-12-31T00:00:00Z' },
      },
    };
    expect(nextWindowChange(fixed, view, NOW)).toBeUndefined();
    const old: Condition = { event: { name: 'Order Completed', within: { lastDays: 3 } } };
    expect(nextWindowChange(old, view, NOW)).toBeUndefined();
    const always: Condition = {
      event: { name: 'Order Completed', within: { lastDays: 30 }, count: { min: 0 } },
    };
    expect(nextWindowChange(always, view, NOW)).toBeUndefined();
  });
});
