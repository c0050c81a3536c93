/**
 * The segment condition language as clients write it: its shapes, operators and limits, and
 * nothing that needs a driver or Node. The console imports this entry into its browser bundle,
 * so the editor and the API share one definition.
 *
 * @example
 * import { PROPERTY_OPERATORS, type Condition } from '@uspa/projections/conditions';
 */
export type {
  Condition,
  EventCondition,
  PropertyCondition,
  PropertyOperator,
  Scalar,
  SegmentMembershipCondition,
} from './segments/condition/condition.js';
export {
  MAX_COUNT,
  MAX_LAST_DAYS,
  PROPERTY_OPERATORS,
} from './segments/condition/condition-schema.js';
