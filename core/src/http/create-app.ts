import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { healthRoutes, type ReadinessCheck } from './health.routes.js';
import { notFoundHandler, problemDetailsHandler } from './problem-details.js';
import { rootRoutes } from './root.routes.js';

export interface HttpAppDependencies {
  logger: PinoLogger;
  metrics: Registry;
  readinessChecks: readonly ReadinessCheck[];
  /** Feature routers, mounted in order after the health routes. */
  routers?: readonly Router[];
  /**
   * A site served at `/` to browsers (the console), in front of the root answer: it takes the
   * requests asking for HTML and its own files, and passes every other one on.
   */
  site?: Router;
}

/**
 * The express application: health and metrics, the feature routers, then problem+json for
 * unknown routes and errors. Body parsing belongs to each router, which knows its limits.
 */
export function createHttpApp(dependencies: HttpAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: dependencies.logger,
      // Success is the common case and would drown the log at ingestion rates.
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500
          ? 'error'
          : response.statusCode >= 400
            ? 'warn'
            : 'debug',
    }),
  );
  if (dependencies.site) app.use(dependencies.site);
  app.use(rootRoutes());
  app.use(healthRoutes(dependencies.readinessChecks, dependencies.metrics));
  for (const router of dependencies.routers ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(problemDetailsHandler(dependencies.logger));
  return app;
}
