import { Registry, collectDefaultMetrics } from 'prom-client';

export const METRICS = Symbol('MetricsRegistry');

/** One registry per process, with Node's default metrics under the `uspa_` prefix. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'uspa_' });
  return registry;
}
