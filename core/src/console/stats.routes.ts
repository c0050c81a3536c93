import { Router } from 'express';
import { requireSecretKey } from '../http/authenticate.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { ConsoleOverview } from './console-overview.js';

/**
 * `GET /v1/admin/stats` (admin or console key): event totals and counts by type, the top event
 * names, interaction events per minute over the last hour, rejections, dead letters and
 * projection lag — see {@link ConsoleOverview} for each figure.
 */
export function statsRoutes(keys: ApiKeyDirectory, overview: ConsoleOverview): Router {
  const router = Router();
  router.get('/v1/admin/stats', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.setHeader('Cache-Control', 'no-store');
    response.json(await overview.current());
  });
  return router;
}
