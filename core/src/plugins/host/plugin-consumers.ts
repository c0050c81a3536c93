import type { KeyValueStore } from '@uspa/projections';
import type { PluginSettings } from '../../config/config.js';
import type { EventStore } from '../../ports/event-store.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { PluginMetrics } from '../context/plugin-metrics.js';
import {
  PluginCallError,
  type PluginManifest,
  type PluginRuntime,
} from '../sandbox/plugin-runtime.js';
import { PluginConsumer } from './plugin-consumer.js';
import type { PluginDeadLetters } from './plugin-dead-letters.js';

export interface PluginConsumerDeps {
  store: EventStore;
  keyValues: KeyValueStore;
  deadLetters: PluginDeadLetters;
  metrics: PluginMetrics;
  logger: Logger;
  settings: PluginSettings;
  onFault: (error: PluginCallError) => void;
}

/**
 * The consumers a running plugin needs (not started): one for its `onEvent`/`onBatch` hooks,
 * from now on, and one per projection, from the start of the log. Each call is timed in the
 * plugin's metrics.
 */
export function pluginConsumers(
  runtime: PluginRuntime,
  manifest: PluginManifest,
  deps: PluginConsumerDeps,
): PluginConsumer[] {
  const name = manifest.name;
  const common = {
    name,
    onFault: deps.onFault,
    log: deps.store,
    keyValues: deps.keyValues,
    deadLetters: deps.deadLetters,
    logger: deps.logger,
    settings: {
      batchSize: deps.settings.consumerBatchSize,
      attempts: deps.settings.consumerAttempts,
      retryDelayMs: deps.settings.consumerRetryDelayMs,
    },
  };
  const timed = async (hook: 'onEvent' | 'onBatch' | 'projection', call: () => Promise<void>) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await call();
      deps.metrics.call(name, hook, 'ok', seconds());
    } catch (error) {
      deps.metrics.call(
        name,
        hook,
        error instanceof PluginCallError ? error.kind : 'error',
        seconds(),
      );
      throw error;
    }
  };
  const consumers: PluginConsumer[] = [];
  if (manifest.hooks.includes('onBatch') || manifest.hooks.includes('onEvent')) {
    const whole = manifest.hooks.includes('onBatch');
    consumers.push(
      new PluginConsumer({
        ...common,
        consumer: 'events',
        eventTypes: manifest.permissions.events,
        fromStart: false,
        whole,
        deliver: (events) =>
          whole
            ? timed('onBatch', () => runtime.onBatch(events))
            : timed('onEvent', () => runtime.onEvent(events[0]!)),
      }),
    );
  }
  for (const projection of manifest.projections) {
    consumers.push(
      new PluginConsumer({
        ...common,
        consumer: `projection:${projection.name}`,
        eventTypes: projection.handles,
        fromStart: true,
        whole: true,
        deliver: (events) => timed('projection', () => runtime.project(projection.name, events)),
      }),
    );
  }
  return consumers;
}
