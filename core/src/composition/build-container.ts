import { pino, type Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { DependencyContainer } from 'tsyringe';
import { container } from './decorators.js';
import { CONFIG, type UspaConfig } from '../config/config.js';
import { READINESS_CHECKS, type ReadinessCheck } from '../http/health.routes.js';
import { instrumentEventStore } from '../observability/instrumented-event-store.js';
import { METRICS, createMetricsRegistry } from '../observability/metrics.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { LOGGER } from '../ports/logger.port.js';
import { openEventStore } from './event-store.factory.js';

export interface BuildOptions {
  /** Where logs go; standard output by default. */
  logDestination?: NodeJS.WritableStream;
}

/**
 * The composition root: the only place that creates adapters and registers them in the container.
 * Everything else receives its dependencies through `@inject(TOKEN)` or plain parameters.
 */
export async function buildContainer(
  config: UspaConfig,
  options: BuildOptions = {},
): Promise<DependencyContainer> {
  const scope = container.createChildContainer();
  const logger: PinoLogger = pino(
    { level: config.log.level, base: { service: 'uspa' } },
    options.logDestination ?? process.stdout,
  );
  const metrics: Registry = createMetricsRegistry();
  const eventStore: EventStore = instrumentEventStore(await openEventStore(config), metrics);
  const readiness: ReadinessCheck[] = [{ name: 'eventStore', check: () => eventStore.ping() }];

  scope.register(CONFIG, { useValue: config });
  scope.register(LOGGER, { useValue: logger });
  scope.register(METRICS, { useValue: metrics });
  scope.register(EVENT_STORE, { useValue: eventStore });
  scope.register(READINESS_CHECKS, { useValue: readiness });
  return scope;
}
