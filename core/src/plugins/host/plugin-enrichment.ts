import type { TrackingEvent } from '@uspa/sdk';
import { drop, ok, type StepResult } from '../../collect/pipeline/step-result.js';
import type { PluginMetrics } from '../context/plugin-metrics.js';
import { PluginCallError, type PluginRuntime } from '../sandbox/plugin-runtime.js';

/** The enrich step's view of the plugin host. */
export interface EnrichingPlugins {
  enrichers(): { name: string; runtime: PluginRuntime }[];
  fault(name: string, error: PluginCallError): void;
}

/**
 * The enrich step of ingestion, over a whole request at once: each running plugin with an
 * `enrich` hook is called once per request with the events still alive, in order (an isolated
 * plugin crosses into its isolate once per request, not once per event). A plugin that fails —
 * for one event or for the whole call — loses only that: the events go on without its additions,
 * and the fault is recorded. A `drop` removes the event on purpose and names the plugin.
 */
export function pluginEnrichment(plugins: EnrichingPlugins, metrics: PluginMetrics) {
  return async (events: readonly TrackingEvent[]): Promise<StepResult<TrackingEvent>[]> => {
    const current: TrackingEvent[] = [...events];
    const dropped: (string | undefined)[] = events.map(() => undefined);
    for (const { name, runtime } of plugins.enrichers()) {
      const alive = current.map((_, index) => index).filter((index) => !dropped[index]);
      if (alive.length === 0) break;
      const started = performance.now();
      try {
        const outcomes = await runtime.enrich(alive.map((index) => current[index]!));
        let failed: { count: number; message: string } | undefined;
        outcomes.forEach((outcome, n) => {
          const index = alive[n]!;
          if (outcome.kind === 'ok') current[index] = outcome.event;
          else if (outcome.kind === 'drop') dropped[index] = `${name}:${outcome.reason}`;
          else
            failed = {
              count: (failed?.count ?? 0) + 1,
              message: failed?.message ?? outcome.message,
            };
        });
        metrics.call(name, 'enrich', failed ? 'error' : 'ok', (performance.now() - started) / 1000);
        if (failed) {
          const suffix = alive.length > 1 ? ` (${failed.count} of ${alive.length} events)` : '';
          plugins.fault(name, new PluginCallError('error', 'enrich', `${failed.message}${suffix}`));
        }
      } catch (error) {
        const failure =
          error instanceof PluginCallError
            ? error
            : new PluginCallError('error', 'enrich', String(error));
        metrics.call(name, 'enrich', failure.kind, (performance.now() - started) / 1000);
        plugins.fault(name, failure);
      }
    }
    return current.map((event, index) => {
      const reason = dropped[index];
      return reason === undefined ? ok(event) : drop(reason);
    });
  };
}
