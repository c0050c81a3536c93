import { Ajv } from 'ajv';
import { Router } from 'express';
import { streamOf } from '../domain/streams.js';
import {
  TRACKING_PLAN_ARCHIVED,
  TRACKING_PLAN_DEFINED,
  type TrackingPlan,
} from '../domain/tracking-plans.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { TrackingPlanDirectory } from './tracking-plan-directory.js';

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const schemaChecker = new Ajv({ strict: false });

/**
 * `PUT /v1/admin/tracking-plans/:id` defines or replaces a plan, `GET` lists or shows them,
 * `DELETE` archives one. Every change is an event in `trackingplan-<id>`: the history is kept.
 */
export function trackingPlanRoutes(
  store: EventStore,
  keys: ApiKeyDirectory,
  plans: TrackingPlanDirectory,
): Router {
  const router = Router();
  router.put('/v1/admin/tracking-plans/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const id = String(request.params.id);
    if (!ID.test(id)) throw new ValidationError('A plan id is 1–64 letters, digits, - or _');
    const plan = toPlan(id, await readJsonBody(request, 256 * 1024));
    await store.append(streamOf.trackingPlan(id), [{ type: TRACKING_PLAN_DEFINED, data: plan }]);
    plans.apply({ type: TRACKING_PLAN_DEFINED, data: plan });
    response.json(plan);
  });
  router.get('/v1/admin/tracking-plans', (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.json({ trackingPlans: plans.list() });
  });
  router.get('/v1/admin/tracking-plans/:id', (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const plan = plans.get(String(request.params.id));
    if (!plan) throw new NotFoundError(`No tracking plan ${String(request.params.id)}`);
    response.json(plan);
  });
  router.delete('/v1/admin/tracking-plans/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const id = String(request.params.id);
    if (!plans.get(id)) throw new NotFoundError(`No tracking plan ${id}`);
    const archived = { id, archivedAt: new Date().toISOString() };
    await store.append(streamOf.trackingPlan(id), [
      { type: TRACKING_PLAN_ARCHIVED, data: archived },
    ]);
    plans.apply({ type: TRACKING_PLAN_ARCHIVED, data: archived });
    response.status(204).end();
  });
  return router;
}

function toPlan(id: string, body: unknown): TrackingPlan {
  if (typeof body !== 'object' || body === null)
    throw new ValidationError('A plan is a JSON object');
  const input = body as Record<string, unknown>;
  const mode = input.mode ?? 'annotate';
  if (mode !== 'annotate' && mode !== 'block')
    throw new ValidationError('mode must be annotate or block');
  const events = input.events ?? {};
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    throw new ValidationError('events must map event names to JSON Schemas of their properties');
  }
  for (const [name, schema] of Object.entries(events)) checkSchema(schema, `events.${name}`);
  if (input.identifyTraits !== undefined) checkSchema(input.identifyTraits, 'identifyTraits');
  const sourceIds = input.sourceIds ?? [];
  if (!Array.isArray(sourceIds) || !sourceIds.every((s) => typeof s === 'string')) {
    throw new ValidationError('sourceIds must be a list of source ids');
  }
  return {
    id,
    name: typeof input.name === 'string' ? input.name.slice(0, 200) : id,
    mode,
    sourceIds: sourceIds,
    events: events as Record<string, Record<string, unknown>>,
    allowUnplannedEvents: input.allowUnplannedEvents !== false,
    ...(input.identifyTraits !== undefined && {
      identifyTraits: input.identifyTraits as Record<string, unknown>,
    }),
    updatedAt: new Date().toISOString(),
  };
}

function checkSchema(schema: unknown, path: string): void {
  try {
    if (typeof schema !== 'object' || schema === null) throw new Error('not an object');
    schemaChecker.compile(schema);
  } catch (error) {
    throw new ValidationError(`${path} is not a valid JSON Schema: ${(error as Error).message}`);
  }
}
