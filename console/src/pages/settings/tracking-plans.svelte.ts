import { api, segment } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';

/** A tracking plan as the API returns it (`core/src/domain/tracking-plans.ts`). */
export interface TrackingPlan {
  id: string;
  name: string;
  mode: 'annotate' | 'block';
  sourceIds: string[];
  events: Record<string, Record<string, unknown>>;
  allowUnplannedEvents: boolean;
  identifyTraits?: Record<string, unknown>;
  updatedAt: string;
}

/** What a new plan's editor starts with: one event, to show the shape. */
export const PLAN_TEMPLATE = {
  name: 'Web shop',
  mode: 'annotate',
  sourceIds: [],
  allowUnplannedEvents: true,
  events: {
    'Order Completed': {
      type: 'object',
      properties: { revenue: { type: 'number' }, currency: { type: 'string' } },
      required: ['revenue'],
    },
  },
};

export const PLAN_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** The body to edit: the plan without what the server sets itself (`id`, `updatedAt`). */
export function editableBody(plan: TrackingPlan): Record<string, unknown> {
  const { id: _id, updatedAt: _updatedAt, ...body } = plan;
  return body;
}

/**
 * Reads the editor's text: a JSON object, or the sentence to show. The server checks the rest
 * (mode, JSON Schemas) and its problem details are shown as they come.
 *
 * @example
 * parsePlanJson('{ "mode": "block" }') // { ok: true, body: { mode: 'block' } }
 * parsePlanJson('[1]') // { ok: false, error: 'A plan is a JSON object …' }
 */
export function parsePlanJson(
  text: string,
): { ok: true; body: Record<string, unknown> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: 'A plan is a JSON object with name, mode, events…' };
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

/** The workspace's tracking plans. */
export class TrackingPlans {
  plans = $state.raw<TrackingPlan[]>([]);
  loaded = $state(false);
  error = $state<string>();

  async load(): Promise<void> {
    try {
      const { trackingPlans } = await api.get<{ trackingPlans: TrackingPlan[] }>(
        '/v1/admin/tracking-plans',
      );
      this.plans = [...trackingPlans].sort((a, b) => a.id.localeCompare(b.id));
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  /** Defines or replaces plan `id`; throws the API's error for the editor to show. */
  async save(id: string, body: Record<string, unknown>): Promise<TrackingPlan> {
    const plan = await api.put<TrackingPlan>(`/v1/admin/tracking-plans/${segment(id)}`, body);
    await this.load();
    return plan;
  }

  async archive(id: string): Promise<void> {
    try {
      await api.del(`/v1/admin/tracking-plans/${segment(id)}`);
      await this.load();
    } catch (error) {
      this.error = messageOf(error);
    }
  }
}
