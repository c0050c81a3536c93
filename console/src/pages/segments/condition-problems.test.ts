import { describe, expect, it } from 'vitest';
import { placeErrors } from './condition-errors.js';
import {
  newEvent,
  newGroup,
  newProperty,
  newSegmentRef,
  type PropertyModel,
} from './condition-model.js';
import { allProblems, problemsOf } from './condition-problems.js';

const property = (patch: Partial<PropertyModel>): PropertyModel => ({ ...newProperty(), ...patch });

describe('problemsOf', () => {
  it('reports unfinished inputs on the node they belong to', () => {
    const number = property({ field: 'ecommerce.orders', type: 'number', values: ['3x'] });
    const list = property({ op: 'in', values: [' , '] });
    const ref = newSegmentRef();
    const event = { ...newEvent(), window: 'lastDays' as const, lastDays: '0', min: '-1' };
    const problems = problemsOf(newGroup('and', [number, list, ref, event]));
    expect(problems.get(number.id)).toEqual(['Values must be numbers.']);
    expect(problems.get(list.id)).toEqual(['List at least one value, separated by commas.']);
    expect(problems.get(ref.id)).toEqual(['Pick a segment.']);
    expect(problems.get(event.id)).toEqual([
      'Minimum count must be a whole number from 0 to 10000.',
      'Days must be a whole number from 1 to 3650.',
    ]);
  });

  it('finds nothing in a finished condition', () => {
    const root = newGroup('and', [
      property({ values: ['pro'] }),
      { ...newEvent(), name: 'Signed Up' },
    ]);
    expect(allProblems(problemsOf(root))).toEqual([]);
  });

  it('asks for a property name inside an event', () => {
    const part = newProperty('properties.', 'string');
    const event = { ...newEvent(), where: [{ ...part, values: ['x'] }] };
    expect(problemsOf(newGroup('and', [event])).get(part.id)).toEqual(['Name the event property.']);
  });
});

describe('placeErrors', () => {
  it('puts each server error on the node its path names, the rest in general', () => {
    const first = property({ op: 'between', values: ['b', 'a'] });
    const where = property({ field: 'properties.total', values: ['x'] });
    const event = { ...newEvent(), negated: true, where: [where] };
    const inner = newGroup('or', [newSegmentRef('vip')]);
    const root = newGroup('and', [first, event, inner]);
    const placed = placeErrors(root, [
      'and[0].value: between needs low ≤ high',
      'and[1].not.event.count: min must be ≤ max',
      'and[1].not.event.where[0].value: gt needs a number',
      'and[2].or[0].segment: may not contain NUL',
      'and: must be a condition',
      'conditions may nest at most 10 levels deep',
    ]);
    expect(placed.byNode.get(first.id)).toEqual(['value: between needs low ≤ high']);
    expect(placed.byNode.get(event.id)).toEqual(['count: min must be ≤ max']);
    expect(placed.byNode.get(where.id)).toEqual(['value: gt needs a number']);
    expect(placed.byNode.get(inner.children[0]!.id)).toEqual(['segment: may not contain NUL']);
    expect(placed.byNode.get(root.id)).toEqual(['and: must be a condition']);
    expect(placed.general).toEqual(['conditions may nest at most 10 levels deep']);
  });
});
