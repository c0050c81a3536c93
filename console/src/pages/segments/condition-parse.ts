import { knownField, operatorFor, valueArity, type ValueType } from './condition-fields.js';
import {
  END_OF_DAY,
  newEvent,
  newGroup,
  newId,
  newSegmentRef,
  type EventModel,
  type GroupModel,
  type NodeModel,
  type PropertyModel,
} from './condition-model.js';
import type { Condition, EventCondition, PropertyCondition, Scalar } from './condition-types.js';

/**
 * Reads a saved condition into the builder's model. The builder's root is always a group, so a
 * condition whose root is a single part is read as "all of: that part" — the same profiles.
 *
 * @example
 * fromCondition({ segment: 'vip' }); // a group 'and' holding one segment reference
 */
export function fromCondition(condition: Condition | undefined): GroupModel {
  if (condition === undefined) return newGroup();
  const node = nodeFrom(condition);
  return node.kind === 'group' ? node : newGroup('and', [node]);
}

export function nodeFrom(condition: Condition): NodeModel {
  if ('not' in condition) {
    const inner = nodeFrom(condition.not);
    // `not not x`: the outer not needs a node of its own to sit on.
    if (inner.negated) return { ...newGroup('and', [inner]), negated: true };
    return { ...inner, negated: true };
  }
  if ('and' in condition) return newGroup('and', condition.and.map(nodeFrom));
  if ('or' in condition) return newGroup('or', condition.or.map(nodeFrom));
  if ('segment' in condition) return newSegmentRef(condition.segment);
  if ('event' in condition) return eventFrom(condition);
  return propertyFrom(condition);
}

function eventFrom({ event }: EventCondition): EventModel {
  const within = event.within;
  return {
    ...newEvent(),
    type: event.type ?? '',
    name: event.name ?? '',
    where: (event.where ?? []).map(propertyFrom),
    min: event.count?.min === undefined ? '' : String(event.count.min),
    max: event.count?.max === undefined ? '' : String(event.count.max),
    window: within === undefined ? 'all' : 'lastDays' in within ? 'lastDays' : 'range',
    lastDays: within && 'lastDays' in within ? String(within.lastDays) : '30',
    from: within && 'from' in within ? within.from : '',
    to: within && 'to' in within ? within.to : '',
  };
}

export function propertyFrom(condition: PropertyCondition): PropertyModel {
  const type = typeOf(condition);
  return {
    kind: 'property',
    id: newId(),
    negated: false,
    field: condition.property,
    type,
    op: operatorFor(type, condition.op),
    values: valuesOf(condition, type),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The known field's type, unless its value would not survive the round trip through that type's
 * input (a date with a time of day other than the builder's own edges is shown as text).
 */
function typeOf(condition: PropertyCondition): ValueType {
  const values = condition.value === undefined ? [] : [condition.value].flat();
  const known = knownField(condition.property)?.type;
  if (known === 'date') return fitsDateInputs(condition) ? 'date' : 'string';
  if (known === 'number' && values.every((value) => typeof value === 'number')) return 'number';
  if (known === 'boolean' && values.every((value) => typeof value === 'boolean')) return 'boolean';
  if (values.length > 0 && values.every((value) => typeof value === 'number')) return 'number';
  if (values.length > 0 && values.every((value) => typeof value === 'boolean')) return 'boolean';
  return 'string';
}

/** Whether each value is a day at the edge the builder writes for its operator. */
function fitsDateInputs({ op, value }: PropertyCondition): boolean {
  const low = (v: Scalar | undefined) => typeof v === 'string' && DAY.test(v);
  const high = (v: Scalar | undefined) =>
    typeof v === 'string' && v.endsWith(END_OF_DAY) && DAY.test(v.slice(0, -END_OF_DAY.length));
  switch (op) {
    case 'exists':
    case 'missing':
      return true;
    case 'lt':
    case 'gte':
      return low(value as Scalar);
    case 'gt':
    case 'lte':
      return high(value as Scalar);
    case 'between':
      return Array.isArray(value) && low(value[0]) && high(value[1]);
    default:
      return false;
  }
}

function valuesOf(condition: PropertyCondition, type: ValueType): string[] {
  const show = (value: Scalar | undefined) =>
    value === undefined
      ? ''
      : type === 'date'
        ? String(value).replace(END_OF_DAY, '')
        : String(value);
  const value = condition.value;
  switch (valueArity(condition.op)) {
    case 'none':
      return [''];
    case 'two':
      return Array.isArray(value) ? [show(value[0]), show(value[1])] : [show(value), ''];
    case 'list':
      return [[value ?? []].flat().map(show).join(', ')];
    case 'one':
      return [show(Array.isArray(value) ? value[0] : value)];
  }
}
