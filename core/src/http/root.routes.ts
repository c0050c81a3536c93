import { Router } from 'express';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** `GET /`: what this server is and where to look next. */
export function rootRoutes(): Router {
  const router = Router();
  router.get('/', (_request, response) => {
    response.json({
      name: 'USPA',
      description: 'Open-source, self-hosted, event-sourced Customer Data Platform',
      version,
      links: { health: '/health', ready: '/ready', metrics: '/metrics' },
    });
  });
  return router;
}
