import type { Condition } from './condition/condition.js';
import { compileCondition } from './condition/condition-evaluate.js';
import { nextWindowChange } from './condition/next-window-change.js';
import type { SegmentView } from './condition/segment-view.js';

export { referencedSegments } from './condition/condition-graph.js';

/**
 * What the profile projection needs of the condition language: a compiled matcher over one
 * profile's view, and the next moment one of its time windows moves.
 */
export interface SegmentMatcher {
  /** Whether the profile meets the condition at `now`. */
  matches(view: SegmentView, now: number): boolean;
  /** The earliest instant after `now` at which a time window could change the answer. */
  nextWindowChange(view: SegmentView, now: number): number | undefined;
}

export function compileSegmentCondition(condition: Condition): SegmentMatcher {
  const matches = compileCondition(condition);
  return {
    matches,
    nextWindowChange: (view, now) => nextWindowChange(condition, view, now),
  };
}
