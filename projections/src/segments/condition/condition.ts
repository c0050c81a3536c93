/**
 * The segment condition language (design §8): one JSON tree, evaluated in memory against one
 * profile, compiled to an OpenSearch query, and compiled to the embedded store's SQL. The three
 * back ends agree on every condition over every profile (a property-based test holds them to it).
 *
 * @example
 * // Pro-plan customers in Germany who completed at least 3 orders over 50 in the last 30 days
 * const condition: Condition = {
 *   and: [
 *     { property: 'traits.plan', op: 'equals', value: 'pro' },
 *     { property: 'geo.country', op: 'equals', value: 'DE' },
 *     {
 *       event: {
 *         type: 'Tracked',
 *         name: 'Order Completed',
 *         where: [{ property: 'properties.total', op: 'gt', value: 50 }],
 *         count: { min: 3 },
 *         within: { lastDays: 30 },
 *       },
 *     },
 *   ],
 * };
 */
export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | PropertyCondition
  | EventCondition
  | SegmentMembershipCondition;

export type Scalar = string | number | boolean;

/** Comparisons of one value: `value` is a scalar, a pair (`between`), a list (`in`, `notIn`) or absent. */
export type PropertyOperator =
  | 'equals'
  | 'notEquals'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'between'
  | 'exists'
  | 'missing'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'in'
  | 'notIn'
  | 'matchesRegex';

/**
 * A condition on one profile property, by dotted path: `traits.*`, `computed.*`, `geo.*`,
 * `device.*`, and the profile's own figures (`ecommerce.orders`, `counters.total`,
 * `sessions.count`, `firstSeen`, `lastSeen`, `groups`, `identifiers`). Inside an event condition's
 * `where`, paths start with `properties.`.
 */
export interface PropertyCondition {
  property: string;
  op: PropertyOperator;
  value?: Scalar | Scalar[];
}

/** "Did X at least/at most N times (in a window) where …" over the profile's recent activity. */
export interface EventCondition {
  event: {
    /** Event type: `Tracked`, `PageViewed`, `ScreenViewed`, `Identified`, `GroupAssociated`, `Aliased`. */
    type?: string;
    /** Track event name (`Order Completed`) or page/screen name. */
    name?: string;
    /** Conditions on the event's `properties.*`, all of which must hold. */
    where?: PropertyCondition[];
    /**
     * How many matching events, bounds included: `min` defaults to 1, or to 0 when `max` is
     * given ("at most twice" includes never); `{ max: 0 }` means "never".
     */
    count?: { min?: number; max?: number };
    /** The window: the last N days before now, or between two ISO-8601 instants (inclusive). */
    within?: { lastDays: number } | { from: string; to: string };
  };
}

/** Membership in another segment (segments may not refer to each other in a cycle). */
export interface SegmentMembershipCondition {
  segment: string;
}
