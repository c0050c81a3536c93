/**
 * The segment condition language as the API accepts it (`projections/src/segments/condition/`).
 * Mirrored here rather than imported: the console is a browser bundle and must not pull the
 * server's packages in; the shapes are the public API contract, so they change only with it.
 */

export type Scalar = string | number | boolean;

export const PROPERTY_OPERATORS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'missing',
  'contains',
  'startsWith',
  'endsWith',
  'in',
  'notIn',
  'matchesRegex',
] as const;

export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

export interface PropertyCondition {
  property: string;
  op: PropertyOperator;
  value?: Scalar | Scalar[];
}

export interface EventCondition {
  event: {
    type?: string;
    name?: string;
    where?: PropertyCondition[];
    count?: { min?: number; max?: number };
    within?: { lastDays: number } | { from: string; to: string };
  };
}

export interface SegmentMembershipCondition {
  segment: string;
}

export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | PropertyCondition
  | EventCondition
  | SegmentMembershipCondition;

/** The event types a profile's activity records (`ActivityEntry.type`). */
export const EVENT_TYPES = [
  'Tracked',
  'PageViewed',
  'ScreenViewed',
  'Identified',
  'GroupAssociated',
  'Aliased',
] as const;

/** Bounds the API enforces; checked here too so a typo is caught before a round trip. */
export const MAX_LAST_DAYS = 3650;
export const MAX_COUNT = 10_000;
