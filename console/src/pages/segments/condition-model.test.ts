import { describe, expect, it } from 'vitest';
import {
  newEvent,
  newGroup,
  newProperty,
  newSegmentRef,
  toCondition,
  type PropertyModel,
} from './condition-model.js';
import { fromCondition } from './condition-parse.js';
import type { Condition } from './condition-types.js';

const property = (patch: Partial<PropertyModel>): PropertyModel => ({ ...newProperty(), ...patch });

describe('toCondition', () => {
  it('writes the README example exactly as the API documents it', () => {
    const root = newGroup('and', [
      property({ field: 'traits.plan', op: 'in', values: ['pro, team'] }),
      property({ field: 'geo.country', op: 'equals', values: ['DE'] }),
      {
        ...newEvent(),
        type: 'Tracked',
        name: 'Order Completed',
        where: [property({ field: 'properties.total', type: 'number', op: 'gt', values: ['50'] })],
        min: '3',
        window: 'lastDays',
        lastDays: '30',
      },
      { ...newSegmentRef('churned'), negated: true },
    ]);
    expect(toCondition(root)).toEqual({
      and: [
        { property: 'traits.plan', op: 'in', value: ['pro', 'team'] },
        { property: 'geo.country', op: 'equals', value: 'DE' },
        {
          event: {
            type: 'Tracked',
            name: 'Order Completed',
            where: [{ property: 'properties.total', op: 'gt', value: 50 }],
            count: { min: 3 },
            within: { lastDays: 30 },
          },
        },
        { not: { segment: 'churned' } },
      ],
    });
  });

  it('sends values in the field type: numbers, booleans, and text as typed', () => {
    expect(
      toCondition(property({ field: 'ecommerce.orders', type: 'number', values: ['3'] })),
    ).toEqual({ property: 'ecommerce.orders', op: 'equals', value: 3 });
    expect(
      toCondition(property({ field: 'device.isBot', type: 'boolean', values: ['false'] })),
    ).toEqual({ property: 'device.isBot', op: 'equals', value: false });
    expect(toCondition(property({ field: 'traits.zip', values: ['01234'] }))).toEqual({
      property: 'traits.zip',
      op: 'equals',
      value: '01234',
    });
  });

  it('gives between two values and exists none', () => {
    expect(
      toCondition(
        property({
          field: 'ecommerce.revenue',
          type: 'number',
          op: 'between',
          values: ['10', '99.5'],
        }),
      ),
    ).toEqual({ property: 'ecommerce.revenue', op: 'between', value: [10, 99.5] });
    expect(
      toCondition(property({ field: 'traits.email', op: 'exists', values: ['left over'] })),
    ).toEqual({
      property: 'traits.email',
      op: 'exists',
    });
  });

  it('makes dates cover whole days: "after" and "to" mean after / up to the end of that day', () => {
    const date = (op: PropertyModel['op'], values: string[]) =>
      toCondition(property({ field: 'lastSeen', type: 'date', op, values }));
    expect(date('lt', ['2025-05-01'])).toEqual({
      property: 'lastSeen',
      op: 'lt',
      value: '2025-05-01',
    });
    expect(date('gt', ['2025-05-01'])).toEqual({
      property: 'lastSeen',
      op: 'gt',
      value: '2025-05-01T23:59:59.999Z',
    });
    expect(date('between', ['2025-05-01', '2025-05-31'])).toEqual({
      property: 'lastSeen',
      op: 'between',
      value: ['2025-05-01', '2025-05-31T23:59:59.999Z'],
    });
  });

  it('writes an event window between dates, and leaves out what is not set', () => {
    const event = { ...newEvent(), type: '', name: 'Signed Up', window: 'range' as const };
    event.from = '2025-01-01T00:00:00Z';
    event.to = '2025-01-31T23:59:59.999Z';
    expect(toCondition(event)).toEqual({
      event: {
        name: 'Signed Up',
        within: { from: '2025-01-01T00:00:00Z', to: '2025-01-31T23:59:59.999Z' },
      },
    });
    expect(toCondition({ ...newEvent(), max: '0' })).toEqual({
      event: { type: 'Tracked', count: { max: 0 } },
    });
  });

  it('writes negated and nested groups', () => {
    const root = newGroup('or', [{ ...newGroup('and'), negated: true }]);
    expect(toCondition(root)).toEqual({ or: [{ not: { and: [] } }] });
  });
});

describe('fromCondition', () => {
  const roundTrip = (condition: Condition) => toCondition(fromCondition(condition));

  it('reads back every kind of node unchanged', () => {
    const condition: Condition = {
      or: [
        { property: 'traits.plan', op: 'notIn', value: ['free', 'trial'] },
        { property: 'computed.score', op: 'between', value: [1, 5] },
        { property: 'traits.vip', op: 'equals', value: true },
        { property: 'firstSeen', op: 'lte', value: '2024-12-31T23:59:59.999Z' },
        { property: 'geo.city', op: 'missing' },
        {
          not: {
            event: {
              name: 'Order Completed',
              where: [{ property: 'properties.coupon', op: 'exists' }],
              count: { min: 2, max: 5 },
              within: { from: '2025-05-01T08:30:00+02:00', to: '2025-06-01T00:00:00Z' },
            },
          },
        },
        { and: [{ segment: 'vip' }, { not: { segment: 'churned' } }] },
      ],
    };
    expect(roundTrip(condition)).toEqual(condition);
  });

  it('keeps a date with a time of day as text rather than rounding it', () => {
    const condition: Condition = {
      and: [{ property: 'lastSeen', op: 'gte', value: '2025-05-01T12:00:00Z' }],
    };
    const root = fromCondition(condition);
    expect(root.children[0]).toMatchObject({ type: 'string', values: ['2025-05-01T12:00:00Z'] });
    expect(toCondition(root)).toEqual(condition);
  });

  it('wraps a single root part and a double negation in groups of the same meaning', () => {
    expect(roundTrip({ segment: 'vip' })).toEqual({ and: [{ segment: 'vip' }] });
    expect(roundTrip({ not: { not: { segment: 'vip' } } })).toEqual({
      not: { and: [{ not: { segment: 'vip' } }] },
    });
  });

  it('starts an absent condition as an empty "all of" group', () => {
    expect(toCondition(fromCondition(undefined))).toEqual({ and: [] });
  });
});
