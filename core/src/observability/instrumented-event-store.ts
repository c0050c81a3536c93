import { Counter, Histogram, type Registry } from 'prom-client';
import { UspaError } from '../errors/index.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
} from '../ports/event-store.port.js';

/**
 * Wraps any EventStore adapter with Prometheus metrics for appends, so every adapter reports the
 * same figures without knowing about metrics.
 */
export function instrumentEventStore(store: EventStore, registry: Registry): EventStore {
  const appended = new Counter({
    name: 'uspa_events_appended_total',
    help: 'Events submitted in successful appends (retried duplicates included)',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'uspa_event_appends_failed_total',
    help: 'Appends that failed, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'uspa_event_append_duration_seconds',
    help: 'Time from append call to durable acknowledgement',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });

  const append = async (
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult> => {
    const stop = duration.startTimer();
    try {
      const result = await store.append(streamId, events, options);
      appended.inc(events.length);
      return result;
    } catch (error) {
      failures.inc({ code: error instanceof UspaError ? error.code : 'internal' });
      throw error;
    } finally {
      stop();
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}
