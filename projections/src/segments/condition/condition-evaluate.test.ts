import { describe, expect, it } from 'vitest';
import type { Condition, PropertyCondition } from './condition.js';
import { compileCondition, evaluateCondition } from './condition-evaluate.js';
import { segmentView, type ProfileLike } from './segment-view.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

const ada: ProfileLike = {
  traits: { plan: 'pro', age: 36, vip: true, tags: ['beta', 'early'], address: { city: 'Berlin' } },
  computed: { churnRisk: 0.25 },
  geo: { country: 'DE' },
  counters: { total: 12, byType: { Tracked: 7 } },
  firstSeen: '2024-01-15T08:00:00.000Z',
  identifiers: ['email:ada@example.com', 'user_id:ada'],
  activity: [
    { type: 'Tracked', name: 'Order Completed', at: ago(40), properties: { total: 80 } },
    { type: 'Tracked', name: 'Order Completed', at: ago(20), properties: { total: 30 } },
    { type: 'Tracked', name: 'Order Completed', at: ago(10), properties: { total: 120 } },
    { type: 'Tracked', name: 'Order Completed', at: ago(2), properties: { total: 55 } },
    { type: 'PageViewed', name: 'Pricing', at: ago(1), properties: { path: '/pricing' } },
  ],
  segments: ['vip'],
};
const view = segmentView(ada);
const holds = (condition: Condition) => evaluateCondition(condition, view, { now: NOW });
const property = (path: string, op: PropertyCondition['op'], value?: PropertyCondition['value']) =>
  holds(value === undefined ? { property: path, op } : { property: path, op, value });

describe('evaluateCondition (in memory)', () => {
  it('compares values of the same type only', () => {
    expect(property('traits.plan', 'equals', 'pro')).toBe(true);
    expect(property('traits.age', 'equals', 36)).toBe(true);
    expect(property('traits.age', 'equals', '36')).toBe(false);
    expect(property('traits.vip', 'equals', true)).toBe(true);
    expect(property('traits.vip', 'equals', 1)).toBe(false);
    expect(property('traits.age', 'gt', '1')).toBe(false);
  });

  it('treats notEquals, notIn and missing as negations, true where nothing is stored', () => {
    expect(property('traits.plan', 'notEquals', 'free')).toBe(true);
    expect(property('traits.plan', 'notEquals', 'pro')).toBe(false);
    expect(property('traits.nickname', 'notEquals', 'pro')).toBe(true);
    expect(property('traits.nickname', 'notIn', ['a'])).toBe(true);
    expect(property('traits.nickname', 'missing')).toBe(true);
    expect(property('traits.address.city', 'exists')).toBe(true);
  });

  it('matches any element of a list', () => {
    expect(property('traits.tags', 'equals', 'early')).toBe(true);
    expect(property('traits.tags', 'in', ['gold', 'beta'])).toBe(true);
    expect(property('traits.tags', 'notEquals', 'beta')).toBe(false);
    expect(property('identifiers', 'startsWith', 'user_id:')).toBe(true);
  });

  it('orders numbers as numbers and strings by code point, bounds included', () => {
    expect(property('traits.age', 'between', [36, 40])).toBe(true);
    expect(property('traits.age', 'gte', 36)).toBe(true);
    expect(property('traits.age', 'gt', 36)).toBe(false);
    expect(property('computed.churnRisk', 'lt', 0.3)).toBe(true);
    expect(property('firstSeen', 'lt', '2024-02-01')).toBe(true);
    expect(property('firstSeen', 'between', ['2024-01-15T08:00:00.000Z', '2025'])).toBe(true);
    // U+FF5E is before 😀 (U+1F600) by code point, after it by UTF-16 unit.
    const symbols = segmentView({ traits: { mark: '\uFF5E' } });
    const lt = { property: 'traits.mark', op: 'lt', value: '😀' } as const;
    expect(evaluateCondition(lt, symbols, { now: NOW })).toBe(true);
  });

  it('matches text case-sensitively and by regular expression', () => {
    expect(property('traits.address.city', 'contains', 'erl')).toBe(true);
    expect(property('traits.address.city', 'contains', 'ERL')).toBe(false);
    expect(property('traits.address.city', 'endsWith', 'lin')).toBe(true);
    expect(property('traits.address.city', 'matchesRegex', '^B[a-z]+n$')).toBe(true);
    expect(property('traits.address.city', 'matchesRegex', 'rl')).toBe(true);
    expect(property('traits.age', 'matchesRegex', '3')).toBe(false);
  });

  it('counts events by type, name, properties and window', () => {
    const orders = (event: Omit<Extract<Condition, { event: unknown }>['event'], 'name'>) =>
      holds({ event: { name: 'Order Completed', ...event } });
    expect(orders({ count: { min: 4 } })).toBe(true);
    expect(orders({ count: { min: 4 }, within: { lastDays: 30 } })).toBe(false);
    expect(orders({ count: { min: 3, max: 3 }, within: { lastDays: 30 } })).toBe(true);
    expect(
      orders({ where: [{ property: 'properties.total', op: 'gt', value: 50 }], count: { min: 3 } }),
    ).toBe(true);
    expect(
      orders({
        where: [{ property: 'properties.total', op: 'gt', value: 50 }],
        within: { lastDays: 5 },
      }),
    ).toBe(true);
    expect(orders({ count: { max: 0 }, within: { lastDays: 1 } })).toBe(true);
    expect(orders({ within: { from: ago(25), to: ago(15) }, count: { min: 1, max: 1 } })).toBe(
      true,
    );
    expect(holds({ event: { type: 'PageViewed', count: { min: 2 } } })).toBe(false);
    expect(holds({ event: { type: 'Identified', count: { max: 0 } } })).toBe(true);
  });

  it('includes the window start: an entry exactly N days old is inside', () => {
    const exactly = segmentView({
      activity: [{ type: 'Tracked', name: 'X', at: ago(3), properties: {} }],
    });
    const condition: Condition = { event: { name: 'X', within: { lastDays: 3 } } };
    expect(evaluateCondition(condition, exactly, { now: NOW })).toBe(true);
    expect(evaluateCondition(condition, exactly, { now: NOW + 1 })).toBe(false);
  });

  it('combines with and, or, not and segment membership', () => {
    expect(holds({ and: [{ segment: 'vip' }, { not: { segment: 'churned' } }] })).toBe(true);
    expect(
      holds({
        or: [{ segment: 'churned' }, { property: 'geo.country', op: 'equals', value: 'FR' }],
      }),
    ).toBe(false);
    expect(holds({ and: [] })).toBe(true);
    expect(holds({ or: [] })).toBe(false);
  });

  it('reads segment memberships live, so a later segment sees an earlier one enter', () => {
    const fresh = segmentView({ segments: [] });
    const refersToVip = compileCondition({ segment: 'vip' });
    expect(refersToVip(fresh, NOW)).toBe(false);
    fresh.segments.add('vip');
    expect(refersToVip(fresh, NOW)).toBe(true);
  });
});
