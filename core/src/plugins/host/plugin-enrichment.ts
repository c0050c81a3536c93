import { eventFields, type EventFields, type TrackingEvent } from '@uspa/sdk';
import { drop, ok, type StepResult } from '../../collect/pipeline/step-result.js';
import type { PluginMetrics } from '../context/plugin-metrics.js';
import { enrichInIsolates } from '../sandbox/isolated-chain.js';
import { IsolatedPluginRuntime } from '../sandbox/isolated-plugin-runtime.js';
import {
  PluginCallError,
  type EnrichOutcome,
  type PluginManifest,
  type PluginRuntime,
} from '../sandbox/plugin-runtime.js';

/** The enrich step's view of the plugin host. */
export interface EnrichingPlugins {
  enrichers(): { name: string; runtime: PluginRuntime }[];
  /** A fault of `runtime`: ignored once that runtime is no longer the plugin's (restarted). */
  fault(name: string, error: PluginCallError, runtime: PluginRuntime): void;
}

type Enricher = { name: string; runtime: PluginRuntime };
type Isolated = { name: string; runtime: IsolatedPluginRuntime };

/**
 * The enrich step of ingestion, over a whole request at once, plugins in order. Built-ins are
 * called in process; consecutive isolated plugins get the batch relayed from isolate to isolate
 * (copied in and out of the host once for all of them). A plugin that fails — for one event or
 * for the whole call — loses only that: the events go on without its additions, and the fault
 * is recorded. A `drop` removes the event on purpose and names the plugin.
 */
export function pluginEnrichment(plugins: EnrichingPlugins, metrics: PluginMetrics) {
  return async (events: readonly TrackingEvent[]): Promise<StepResult<TrackingEvent>[]> => {
    const current: TrackingEvent[] = [...events];
    const dropped: (string | undefined)[] = events.map(() => undefined);
    const alive = (): number[] =>
      current.map((_, index) => index).filter((index) => dropped[index] === undefined);
    for (const group of inGroups(plugins.enrichers())) {
      const indices = alive();
      if (indices.length === 0) break;
      const batch = indices.map((index) => current[index]!);
      if (Array.isArray(group)) {
        await relayThrough(group, batch, indices);
      } else {
        await callOne(group, batch, indices);
      }
    }
    return current.map((event, index) => {
      const reason = dropped[index];
      return reason === undefined ? ok(event) : drop(reason);
    });

    async function relayThrough(chain: Isolated[], batch: TrackingEvent[], indices: number[]) {
      const result = await enrichInIsolates(chain, batch);
      result.items.forEach((item, n) => {
        const index = indices[n]!;
        current[index] = item.event;
        if (item.drop) dropped[index] = `${item.drop.plugin}:${item.drop.reason}`;
      });
      const failed = new Map<string, { count: number; message: string }>();
      for (const error of result.errors) {
        const entry = failed.get(error.plugin);
        failed.set(error.plugin, {
          count: (entry?.count ?? 0) + 1,
          message: entry?.message ?? error.message,
        });
      }
      for (const call of result.calls) {
        const errors = failed.get(call.plugin);
        const outcome = call.outcome === 'ok' && errors ? 'error' : call.outcome;
        metrics.call(call.plugin, 'enrich', outcome, call.seconds);
        const runtime = chain.find(({ name }) => name === call.plugin)!.runtime;
        if (call.error) plugins.fault(call.plugin, call.error, runtime);
        else if (errors) plugins.fault(call.plugin, perEventFault(errors, batch.length), runtime);
      }
    }

    /** A plugin on its own: in process, or isolated with declared fields (see `narrowed`). */
    async function callOne({ name, runtime }: Enricher, batch: TrackingEvent[], indices: number[]) {
      const started = performance.now();
      try {
        const outcomes = await narrowed(runtime, batch);
        let failed: { count: number; message: string } | undefined;
        outcomes.forEach((outcome, n) => {
          const index = indices[n]!;
          if (outcome.kind === 'ok') current[index] = outcome.event;
          else if (outcome.kind === 'drop') dropped[index] = `${name}:${outcome.reason}`;
          else
            failed = {
              count: (failed?.count ?? 0) + 1,
              message: failed?.message ?? outcome.message,
            };
        });
        metrics.call(name, 'enrich', failed ? 'error' : 'ok', (performance.now() - started) / 1000);
        if (failed) plugins.fault(name, perEventFault(failed, batch.length), runtime);
      } catch (error) {
        const failure =
          error instanceof PluginCallError
            ? error
            : new PluginCallError('error', 'enrich', String(error));
        metrics.call(name, 'enrich', failure.kind, (performance.now() - started) / 1000);
        plugins.fault(name, failure, runtime);
      }
    }
  };
}

/**
 * `enrich` over a batch as the plugin declared it: the whole events, or, with
 * `permissions.fields`, only those fields of each, the results put back on the whole events.
 */
async function narrowed(runtime: PluginRuntime, batch: TrackingEvent[]): Promise<EnrichOutcome[]> {
  const declared = runtime.manifest.permissions.fields;
  if (declared === undefined) return runtime.enrich(batch);
  const fields = fieldsOf(runtime.manifest, declared);
  const parts = batch.map((event) => fields.narrow(event) as unknown as TrackingEvent);
  const outcomes = await runtime.enrich(parts);
  return outcomes.map((outcome, n): EnrichOutcome => {
    if (outcome.kind !== 'ok') return outcome;
    const applied = fields.apply(batch[n]!, outcome.event as unknown as Record<string, unknown>);
    return 'error' in applied
      ? { kind: 'error', message: applied.error }
      : { kind: 'ok', event: applied.event };
  });
}

/** Each manifest's fields, split into paths once. */
const compiledFields = new WeakMap<PluginManifest, EventFields>();
function fieldsOf(manifest: PluginManifest, declared: readonly string[]): EventFields {
  let fields = compiledFields.get(manifest);
  if (fields === undefined) compiledFields.set(manifest, (fields = eventFields(declared)));
  return fields;
}

/**
 * Runs of consecutive isolated plugins become one relay of whole events; others stay on their
 * own, and so do isolated plugins that declare their fields: their narrowed events cost less to
 * copy than a relayed whole event.
 */
function inGroups(enrichers: Enricher[]): (Enricher | Isolated[])[] {
  const groups: (Enricher | Isolated[])[] = [];
  for (const enricher of enrichers) {
    const { runtime, name } = enricher;
    if (
      runtime instanceof IsolatedPluginRuntime &&
      runtime.manifest.permissions.fields === undefined
    ) {
      const last = groups[groups.length - 1];
      if (Array.isArray(last)) last.push({ name, runtime });
      else groups.push([{ name, runtime }]);
    } else {
      groups.push(enricher);
    }
  }
  return groups;
}

/** Per-event failures of one call count as one fault, naming how many events failed. */
function perEventFault(failed: { count: number; message: string }, size: number): PluginCallError {
  const suffix = size > 1 ? ` (${failed.count} of ${size} events)` : '';
  return new PluginCallError('error', 'enrich', `${failed.message}${suffix}`);
}
