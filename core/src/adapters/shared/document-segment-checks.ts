import {
  checkCondition,
  type CollectionMapping,
  type Condition,
  type SegmentMatch,
} from '@uspa/projections';
import { ValidationError } from '../../errors/index.js';

/**
 * Checks shared by the DocumentStore adapters for segment conditions: the collection must hold
 * segment views, and the condition must pass `checkCondition` (a condition reaches the store
 * from the API, the console or a plugin; SQL and query DSL are only built from checked ones).
 */

/** The field types a segment view takes, at the top-level fields of the same names. */
export const SEGMENT_VIEW_FIELDS = { facts: 'facts', activity: 'activity' } as const;

/** Throws unless `facts`/`activity` types sit at the fields of their own name. */
export function checkSegmentViewField(path: string, type: string): void {
  const home = Object.entries(SEGMENT_VIEW_FIELDS).find(([, viewType]) => viewType === type)?.[0];
  if (home !== undefined && path !== home) {
    throw new ValidationError(
      `Field ${JSON.stringify(path)} cannot be of type ${type}: only the top-level field "${home}" can`,
    );
  }
}

/** Whether documents of the collection carry a segment view that conditions can read. */
export function holdsSegmentViews(mapping: CollectionMapping): boolean {
  return mapping.fields.facts === 'facts' && mapping.fields.activity === 'activity';
}

/**
 * The checked condition of a segment match on `collection`.
 * @throws ValidationError listing what is wrong with the condition, or saying that the
 *   collection holds no segment views.
 */
export function checkSegmentMatch(
  mapping: CollectionMapping,
  collection: string,
  match: SegmentMatch,
): { condition: Condition; now: number } {
  if (!holdsSegmentViews(mapping) || mapping.fields.segments !== 'keyword') {
    throw new ValidationError(
      `Collection ${JSON.stringify(collection)} holds no segment views: map facts as facts, activity as activity and segments as keyword`,
    );
  }
  if (typeof match.now !== 'number' || !Number.isFinite(match.now)) {
    throw new ValidationError(`A segment match needs now as epoch milliseconds`);
  }
  const checked = checkCondition(match.condition);
  if (!checked.ok) {
    throw new ValidationError(`Invalid condition: ${checked.errors.join('; ')}`, {
      errors: checked.errors,
    });
  }
  return { condition: checked.condition, now: match.now };
}
