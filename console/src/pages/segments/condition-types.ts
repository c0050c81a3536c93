/**
 * The segment condition language as the API accepts it, from its one definition
 * (`projections/src/segments/condition/`, browser-safe entry `@uspa/projections/conditions`).
 */
export {
  MAX_COUNT,
  MAX_LAST_DAYS,
  PROPERTY_OPERATORS,
  type Condition,
  type EventCondition,
  type PropertyCondition,
  type PropertyOperator,
  type Scalar,
  type SegmentMembershipCondition,
} from '@uspa/projections/conditions';

/** The event types a profile's activity records (`ActivityEntry.type`). */
export const EVENT_TYPES = [
  'Tracked',
  'PageViewed',
  'ScreenViewed',
  'Identified',
  'GroupAssociated',
  'Aliased',
] as const;
