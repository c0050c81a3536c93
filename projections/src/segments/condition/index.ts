/** The segment condition language: see README.md in this folder. */
export type {
  Condition,
  EventCondition,
  PropertyCondition,
  PropertyOperator,
  SegmentMembershipCondition,
} from './condition.js';
export {
  segmentView,
  FACT_ROOTS,
  type ActivityFacts,
  type Fact,
  type ProfileLike,
  type SegmentView,
} from './segment-view.js';
export { viewScope, type ViewScope } from './view-scope.js';
export { checkCondition, type ConditionCheck } from './condition-check.js';
export { CONDITION_SCHEMA, PROPERTY_OPERATORS } from './condition-schema.js';
export { findSegmentCycle, referencedSegments } from './condition-graph.js';
export {
  compileCondition,
  evaluateCondition,
  type CompiledCondition,
} from './condition-evaluate.js';
export { nextWindowChange } from './next-window-change.js';
export { toOpenSearchQuery, type OpenSearchQuery } from './condition-opensearch.js';
export {
  SQL_REGEXP_FUNCTION,
  toSqlCondition,
  type SqlCondition,
  type SqlViewColumns,
  viewPartsRead,
} from './condition-sql.js';
export { sqlSegmentViewJson, type SqlSegmentView } from './sql-segment-view.js';
export { checkRegex, toJsRegExp, toLuceneRegexp } from './regex-translation.js';
