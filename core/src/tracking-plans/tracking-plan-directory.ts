import { Ajv, type ValidateFunction } from 'ajv';
import type { TrackingEvent } from '@uspa/sdk';
import type {
  ActiveTrackingPlan,
  TrackingPlanLookup,
} from '../collect/pipeline/apply-tracking-plan.js';
import {
  TRACKING_PLAN_ARCHIVED,
  TRACKING_PLAN_DEFINED,
  type TrackingPlan,
} from '../domain/tracking-plans.js';
import type { RecordedEvent } from '../ports/event-store.port.js';

export const TRACKING_PLAN_DIRECTORY = Symbol('TrackingPlanDirectory');

interface Compiled extends ActiveTrackingPlan {
  plan: TrackingPlan;
}

/**
 * The tracking plans in force, compiled once with ajv and followed live from the
 * `trackingplan-*` streams. A source-specific plan wins over the workspace-wide one.
 */
export class TrackingPlanDirectory implements TrackingPlanLookup {
  readonly #plans = new Map<string, Compiled>();
  readonly #ajv = new Ajv({ allErrors: true, strict: false });

  apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
    if (event.type === TRACKING_PLAN_DEFINED) {
      const plan = event.data as TrackingPlan;
      this.#plans.set(plan.id, this.#compile(plan));
    } else if (event.type === TRACKING_PLAN_ARCHIVED) {
      this.#plans.delete((event.data as { id: string }).id);
    }
  }

  list(): TrackingPlan[] {
    return [...this.#plans.values()].map((compiled) => compiled.plan);
  }

  get(id: string): TrackingPlan | undefined {
    return this.#plans.get(id)?.plan;
  }

  forSource(sourceId: string): ActiveTrackingPlan | undefined {
    let workspaceWide: Compiled | undefined;
    for (const compiled of this.#plans.values()) {
      if (compiled.plan.sourceIds.includes(sourceId)) return compiled;
      if (compiled.plan.sourceIds.length === 0) workspaceWide ??= compiled;
    }
    return workspaceWide;
  }

  /** Schemas are checked when a plan is defined, so compiling here cannot fail on bad input. */
  #compile(plan: TrackingPlan): Compiled {
    const events = new Map<string, ValidateFunction>(
      Object.entries(plan.events).map(([name, schema]) => [name, this.#ajv.compile(schema)]),
    );
    const traits = plan.identifyTraits ? this.#ajv.compile(plan.identifyTraits) : undefined;
    const check = (event: TrackingEvent): string[] => {
      if (event.type === 'track') {
        const validate = events.get(event.event ?? '');
        if (!validate) {
          return plan.allowUnplannedEvents ? [] : [`event "${event.event}" is not in the plan`];
        }
        return validate(event.properties) ? [] : describe(validate, 'properties');
      }
      if (event.type === 'identify' && traits) {
        return traits(event.traits) ? [] : describe(traits, 'traits');
      }
      return [];
    };
    return { id: plan.id, mode: plan.mode, plan, check };
  }
}

function describe(validate: ValidateFunction, root: string): string[] {
  return (validate.errors ?? []).map(
    (error) => `${root}${error.instancePath.replaceAll('/', '.')} ${error.message ?? 'is invalid'}`,
  );
}
