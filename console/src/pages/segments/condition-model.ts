import type { ValueType } from './condition-fields.js';
import { valueArity } from './condition-fields.js';
import type {
  Condition,
  EventCondition,
  PropertyCondition,
  PropertyOperator,
  Scalar,
} from './condition-types.js';

/**
 * What the segment builder edits: the condition tree with the raw text of every input, so a
 * half-typed number is kept as typed instead of being lost to `NaN`. `toCondition` turns it into
 * the JSON the API accepts; `fromCondition` (condition-parse.ts) reads a saved one back.
 */

export interface PropertyModel {
  kind: 'property';
  id: string;
  negated: boolean;
  /** Dotted path: `traits.plan`, or `properties.total` inside an event's `where`. */
  field: string;
  type: ValueType;
  op: PropertyOperator;
  /** `[value]`, `[low, high]` for between, `['a, b, c']` for in / notIn. */
  values: string[];
}

export type EventWindow = 'all' | 'lastDays' | 'range';

export interface EventModel {
  kind: 'event';
  id: string;
  negated: boolean;
  /** '' = any type. */
  type: string;
  /** '' = any name. */
  name: string;
  where: PropertyModel[];
  min: string;
  max: string;
  window: EventWindow;
  lastDays: string;
  /** ISO-8601 instants with an offset, as the API wants them. */
  from: string;
  to: string;
}

export interface SegmentRefModel {
  kind: 'segment';
  id: string;
  negated: boolean;
  segment: string;
}

export interface GroupModel {
  kind: 'group';
  id: string;
  negated: boolean;
  join: 'and' | 'or';
  children: NodeModel[];
}

export type NodeModel = PropertyModel | EventModel | SegmentRefModel | GroupModel;

let lastId = 0;
/** Keys for `{#each}` blocks; unique within a page's life, which is all they need. */
export const newId = (): string => `node-${++lastId}`;

export function newProperty(field = 'traits.plan', type: ValueType = 'string'): PropertyModel {
  return { kind: 'property', id: newId(), negated: false, field, type, op: 'equals', values: [''] };
}

export function newEvent(): EventModel {
  return {
    kind: 'event',
    id: newId(),
    negated: false,
    type: 'Tracked',
    name: '',
    where: [],
    min: '',
    max: '',
    window: 'all',
    lastDays: '30',
    from: '',
    to: '',
  };
}

export function newSegmentRef(segment = ''): SegmentRefModel {
  return { kind: 'segment', id: newId(), negated: false, segment };
}

export function newGroup(join: 'and' | 'or' = 'and', children: NodeModel[] = []): GroupModel {
  return { kind: 'group', id: newId(), negated: false, join, children };
}

/**
 * The condition a node stands for.
 * @example
 * toCondition(newGroup('and', [{ ...newProperty('geo.country'), values: ['DE'] }]));
 * // { and: [{ property: 'geo.country', op: 'equals', value: 'DE' }] }
 */
export function toCondition(node: NodeModel): Condition {
  const inner = innerCondition(node);
  return node.negated ? { not: inner } : inner;
}

function innerCondition(node: NodeModel): Condition {
  switch (node.kind) {
    case 'group':
      return node.join === 'and'
        ? { and: node.children.map(toCondition) }
        : { or: node.children.map(toCondition) };
    case 'segment':
      return { segment: node.segment };
    case 'event':
      return eventCondition(node);
    case 'property':
      return propertyCondition(node);
  }
}

/** A property condition; `negated` does not apply (event `where` parts cannot be negated). */
export function propertyCondition(node: PropertyModel): PropertyCondition {
  const base = { property: node.field.trim(), op: node.op };
  switch (valueArity(node.op)) {
    case 'none':
      return base;
    case 'two':
      return {
        ...base,
        value: [
          parseValue(node.values[0], node.type, 'low'),
          parseValue(node.values[1], node.type, 'high'),
        ],
      };
    case 'list':
      return {
        ...base,
        value: listItems(node.values[0]).map((item) => parseValue(item, node.type, 'low')),
      };
    case 'one':
      return { ...base, value: parseValue(node.values[0], node.type, dateEdge(node.op)) };
  }
}

function eventCondition(node: EventModel): EventCondition {
  const count = {
    ...(node.min.trim() === '' ? {} : { min: wholeNumber(node.min) }),
    ...(node.max.trim() === '' ? {} : { max: wholeNumber(node.max) }),
  };
  const event: EventCondition['event'] = {
    ...(node.type.trim() === '' ? {} : { type: node.type.trim() }),
    ...(node.name.trim() === '' ? {} : { name: node.name.trim() }),
    ...(node.where.length === 0 ? {} : { where: node.where.map(propertyCondition) }),
    ...(Object.keys(count).length === 0 ? {} : { count }),
  };
  if (node.window === 'lastDays') event.within = { lastDays: wholeNumber(node.lastDays) };
  if (node.window === 'range') event.within = { from: node.from, to: node.to };
  return { event };
}

/** The items of a comma list, trimmed, empty ones dropped. */
export function listItems(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Which end of a day a date stands for: "after 3 May" means after the whole of 3 May. */
function dateEdge(op: PropertyOperator): 'low' | 'high' {
  return op === 'gt' || op === 'lte' ? 'high' : 'low';
}

/** The last instant of a day (UTC) as the profile's ISO timestamps compare with it. */
export const END_OF_DAY = 'T23:59:59.999Z';

/**
 * A typed-in value as the API gets it. A number that does not parse is sent as typed (and
 * reported by `problemsOf`), never silently as something else.
 */
export function parseValue(raw: string | undefined, type: ValueType, edge: 'low' | 'high'): Scalar {
  const text = raw ?? '';
  switch (type) {
    case 'number': {
      const number = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'date':
      return edge === 'high' && /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}${END_OF_DAY}` : text;
    case 'string':
      return text;
  }
}

function wholeNumber(text: string): number {
  return Number(text.trim());
}

/** A day picked in a date input as the first instant of that day (UTC). */
export const dayStart = (day: string): string => (day === '' ? '' : `${day}T00:00:00Z`);
/** A day picked in a date input as its last instant (UTC), so the whole day is in the window. */
export const dayEnd = (day: string): string => (day === '' ? '' : `${day}T23:59:59.999Z`);
/** The day of an ISO instant, for a date input. */
export const dayOf = (instant: string): string => instant.slice(0, 10);
