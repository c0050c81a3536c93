import type { PropertyOperator } from './condition-types.js';

/**
 * What the field picker offers and which operators each kind of value allows. The language
 * itself is untyped (a path holds whatever the profile holds), so the type here decides how a
 * typed-in value is sent: `"1"`, `1` and `true` never equal each other on the server.
 */

export type ValueType = 'string' | 'number' | 'boolean' | 'date';

export interface FieldChoice {
  path: string;
  label: string;
  type: ValueType;
}

export interface FieldGroup {
  label: string;
  fields: FieldChoice[];
}

const field = (path: string, label: string, type: ValueType = 'string'): FieldChoice => ({
  path,
  label,
  type,
});

/** Paths as the profile's segment view names them (`device.*` as the user-agent plugin fills it). */
export const PROFILE_FIELD_GROUPS: readonly FieldGroup[] = [
  {
    label: 'Traits',
    fields: [
      field('traits.email', 'Email'),
      field('traits.name', 'Name'),
      field('traits.plan', 'Plan'),
      field('traits.company', 'Company'),
      field('traits.country', 'Country (trait)'),
    ],
  },
  {
    label: 'Location',
    fields: [
      field('geo.country', 'Country code'),
      field('geo.countryName', 'Country name'),
      field('geo.region', 'Region'),
      field('geo.city', 'City'),
    ],
  },
  {
    label: 'Device',
    fields: [
      field('device.deviceType', 'Device type'),
      field('device.browser.name', 'Browser'),
      field('device.os.name', 'Operating system'),
      field('device.isBot', 'Is a bot', 'boolean'),
    ],
  },
  {
    label: 'Activity',
    fields: [
      field('firstSeen', 'First seen', 'date'),
      field('lastSeen', 'Last seen', 'date'),
      field('counters.total', 'Events in total', 'number'),
      field('sessions.count', 'Sessions', 'number'),
    ],
  },
  {
    label: 'E-commerce',
    fields: [
      field('ecommerce.orders', 'Orders', 'number'),
      field('ecommerce.revenue', 'Revenue', 'number'),
      field('ecommerce.averageOrderValue', 'Average order value', 'number'),
      field('ecommerce.refunds', 'Refunds', 'number'),
      field('ecommerce.refundedAmount', 'Refunded amount', 'number'),
      field('ecommerce.lastOrderAt', 'Last order', 'date'),
    ],
  },
  {
    label: 'Membership',
    fields: [field('groups', 'Groups'), field('identifiers', 'Identifiers (type:value)')],
  },
];

/** Starts of a free path the picker offers, each with the text box pre-filled. */
export const FREE_FIELD_PREFIXES = [
  { prefix: 'traits.', label: 'Other trait (traits.…)' },
  { prefix: 'computed.', label: 'Computed trait (computed.…)' },
  { prefix: 'counters.byEvent.', label: 'Count of one event (counters.byEvent.…)' },
  { prefix: '', label: 'Any other path…' },
] as const;

const KNOWN = new Map(
  PROFILE_FIELD_GROUPS.flatMap((group) => group.fields).map((f) => [f.path, f]),
);

/** The catalogue entry of a path, if the picker lists it. */
export function knownField(path: string): FieldChoice | undefined {
  return KNOWN.get(path);
}

/**
 * Booleans only meet equality and presence on the server; dates are ISO strings, so they
 * compare but do not "contain".
 */
export const OPERATORS_BY_TYPE: Readonly<Record<ValueType, readonly PropertyOperator[]>> = {
  string: [
    'equals',
    'notEquals',
    'in',
    'notIn',
    'contains',
    'startsWith',
    'endsWith',
    'matchesRegex',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'exists',
    'missing',
  ],
  number: [
    'equals',
    'notEquals',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'in',
    'notIn',
    'exists',
    'missing',
  ],
  boolean: ['equals', 'notEquals', 'exists', 'missing'],
  date: ['lt', 'gte', 'gt', 'lte', 'between', 'exists', 'missing'],
};

const LABELS: Record<PropertyOperator, string> = {
  equals: 'is',
  notEquals: 'is not',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  exists: 'is set',
  missing: 'is not set',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  in: 'is one of',
  notIn: 'is none of',
  matchesRegex: 'matches the pattern',
};

const DATE_LABELS: Partial<Record<PropertyOperator, string>> = {
  gt: 'is after',
  gte: 'is on or after',
  lt: 'is before',
  lte: 'is on or before',
};

/** How the operator select words an operator for a value type. */
export function operatorLabel(op: PropertyOperator, type: ValueType): string {
  return (type === 'date' ? DATE_LABELS[op] : undefined) ?? LABELS[op];
}

/** How many values an operator takes, which decides the inputs shown. */
export type ValueArity = 'none' | 'one' | 'two' | 'list';

export function valueArity(op: PropertyOperator): ValueArity {
  if (op === 'exists' || op === 'missing') return 'none';
  if (op === 'between') return 'two';
  if (op === 'in' || op === 'notIn') return 'list';
  return 'one';
}

/** The operator to keep when the type changes: the same one if allowed, else the type's first. */
export function operatorFor(type: ValueType, current: PropertyOperator): PropertyOperator {
  const allowed = OPERATORS_BY_TYPE[type];
  return allowed.includes(current) ? current : allowed[0]!;
}
