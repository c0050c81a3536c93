import type { TrackingEvent } from '@uspa/sdk';
import { dlq, ok, type StepResult } from './step-result.js';

/** The tracking plan in force for a source, compiled. */
export interface ActiveTrackingPlan {
  id: string;
  mode: 'annotate' | 'block';
  /** Violations of the plan by this event, as readable lines; empty when it conforms. */
  check(event: TrackingEvent): string[];
}

export interface TrackingPlanLookup {
  forSource(sourceId: string): ActiveTrackingPlan | undefined;
}

/**
 * Applies the workspace's tracking plan after the spec check: `annotate` stores the event and
 * records its violations under `enrichment.trackingPlan`; `block` sends it to the dead letters.
 */
export function trackingPlanStep(plans: TrackingPlanLookup) {
  return (event: TrackingEvent, sourceId: string): StepResult<TrackingEvent> => {
    const plan = plans.forSource(sourceId);
    if (!plan) return ok(event);
    const violations = plan.check(event);
    if (violations.length === 0) return ok(event);
    if (plan.mode === 'block') {
      return dlq('tracking_plan_violation', `${plan.id}: ${violations.join('; ')}`);
    }
    return ok({
      ...event,
      enrichment: { ...event.enrichment, trackingPlan: { planId: plan.id, violations } },
    });
  };
}
