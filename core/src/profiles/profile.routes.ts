import { Router } from 'express';
import type { ProjectionControl } from '@uspa/projections';
import { PROFILES_PROJECTION } from '@uspa/projections';
import { ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ProfileQueries } from './profile-queries.js';
import { parseProfileSearch } from './profile-search-params.js';
import { splitProfile } from './split-profile.js';

const MAX_TIMELINE_PAGE = 500;

/**
 * `GET /v1/profiles/:identifier/events` (timeline, newest first, `?limit=&before=`) and
 * `GET /v1/profiles` (search) with a `profiles:read` key, and
 * `POST /v1/admin/profiles/:id/split` (`{ "identifier": "anonymous_id:…" }`) with an admin key.
 * The lookup by identifier is `profile-lookup.handler.ts`, in front of express.
 */
export function profileRoutes(
  queries: ProfileQueries,
  keys: ApiKeyDirectory,
  store: EventStore,
  host: ProjectionControl | undefined,
): Router {
  const router = Router();
  router.get('/v1/profiles', async (request, response) => {
    requireSecretKey(keys, request, 'profiles:read');
    const page = await queries.search(parseProfileSearch(request.query));
    response.json(page);
  });
  router.get('/v1/profiles/:identifier/events', async (request, response) => {
    requireSecretKey(keys, request, 'profiles:read');
    const limit = integer(request.query.limit, 'limit', 50, 1, MAX_TIMELINE_PAGE);
    const before =
      request.query.before === undefined
        ? undefined
        : integer(request.query.before, 'before', 0, 1, Number.MAX_SAFE_INTEGER);
    const page = await queries.timeline(request.params.identifier, {
      limit,
      ...(before === undefined ? {} : { before }),
    });
    response.json(page);
  });
  router.post('/v1/admin/profiles/:id/split', async (request, response) => {
    const key = requireSecretKey(keys, request, 'admin');
    const body = (await readJsonBody(request, 16 * 1024)) as { identifier?: unknown } | null;
    if (typeof body?.identifier !== 'string') {
      throw new ValidationError('identifier (type:value) is required');
    }
    const result = await splitProfile(store, queries, {
      profileId: request.params.id,
      identifier: body.identifier,
      requestedBy: key.id,
    });
    // Answer once the read model shows the split, so the caller can read both profiles.
    // Projections that are not running (a thread starting again) have not applied it: 202.
    const applied =
      (await host?.waitFor(PROFILES_PROJECTION, result.position, 10_000).catch(() => false)) ??
      false;
    response.status(applied ? 200 : 202).json({ ...result, applied });
  });
  return router;
}

function integer(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ValidationError(`${name} must be an integer from ${min} to ${max}`);
  }
  return parsed;
}
