/** A tracking plan: what events and traits a source may send (design §5). */
export interface TrackingPlan {
  id: string;
  name: string;
  /** `annotate`: store and flag violations; `block`: send violators to the dead letters. */
  mode: 'annotate' | 'block';
  /** Sources it governs; empty means every source of the workspace. */
  sourceIds: string[];
  /** JSON Schema of `properties`, per track event name. */
  events: Record<string, Record<string, unknown>>;
  /** Whether track events not listed in `events` are violations. */
  allowUnplannedEvents: boolean;
  /** JSON Schema of identify traits. */
  identifyTraits?: Record<string, unknown>;
  updatedAt: string;
}

export const TRACKING_PLAN_DEFINED = 'TrackingPlanDefined';
export const TRACKING_PLAN_ARCHIVED = 'TrackingPlanArchived';
