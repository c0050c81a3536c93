import { Router } from 'express';
import type { Registry } from 'prom-client';
import { UspaError } from '../errors/index.js';
import { sendProblem } from './problem-details.js';

/** Something that must answer before the process is ready to take traffic. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('ReadinessChecks');

/**
 * `GET /health`: the process is alive. `GET /ready`: its stores answer (load balancers route to
 * it). `GET /metrics`: Prometheus text format.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], metrics: Registry): Router {
  const router = Router();
  const startedAt = Date.now();

  router.get('/health', (_request, response) => {
    response.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  router.get('/ready', async (_request, response) => {
    const results = await Promise.all(
      checks.map(async (readiness) => {
        const { name } = readiness;
        try {
          await withTimeout(readiness.check(), 2000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'failed'] as const;
        }
      }),
    );
    const failing = results.filter(([, status]) => status !== 'ok');
    if (failing.length > 0) {
      sendProblem(
        response,
        new UspaError('not_ready', 503, `Not ready: ${failing.map(([name]) => name).join(', ')}`, {
          checks: Object.fromEntries(results),
        }),
      );
      return;
    }
    response.json({ status: 'ready', checks: Object.fromEntries(results) });
  });

  router.get('/metrics', async (_request, response) => {
    response.type(metrics.contentType).send(await metrics.metrics());
  });

  return router;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
