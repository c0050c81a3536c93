import { Router } from 'express';
import { UnknownProjectionError, type ProjectionControl } from '@uspa/projections';
import { NotFoundError, UspaError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';

/**
 * Operating projections (admin key): `GET /v1/admin/projections` (status, lag, throughput),
 * `POST /v1/admin/projections/:name/rebuild` (blue/green), `GET …/:name/dead-letters` and
 * `POST …/:name/dead-letters/replay` (after the cause is fixed).
 */
export function projectionRoutes(
  host: ProjectionControl | undefined,
  keys: ApiKeyDirectory,
): Router {
  const router = Router();
  const running = (): ProjectionControl => {
    if (!host) {
      throw new UspaError(
        'projections_disabled',
        409,
        'This process does not run projections (projections.enabled is false)',
      );
    }
    return host;
  };
  router.get('/v1/admin/projections', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.json({ projections: await running().statuses() });
  });
  router.post('/v1/admin/projections/:name/rebuild', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.status(202).json(await known(() => running().rebuild(request.params.name)));
  });
  router.get('/v1/admin/projections/:name/dead-letters', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const name = request.params.name;
    await known(() => running().status(name));
    response.json({ deadLetters: await running().deadLetters.pending(name) });
  });
  router.post('/v1/admin/projections/:name/dead-letters/replay', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const name = request.params.name;
    await known(() => running().status(name));
    response.json(await running().deadLetters.replay(name));
  });
  return router;
}

async function known<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UnknownProjectionError) throw new NotFoundError(error.message);
    throw error;
  }
}
