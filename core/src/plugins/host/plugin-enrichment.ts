import { eventFields, type EventFields, type TrackingEvent } from '@uspa/sdk';
import { drop, ok, type StepResult } from '../../collect/pipeline/step-result.js';
import type { PluginMetrics } from '../context/plugin-metrics.js';
import { enrichInIsolates, type ChainResult } from '../sandbox/isolated-chain.js';
import { IsolatedPluginRuntime } from '../sandbox/isolated-plugin-runtime.js';
import {
  PluginCallError,
  type PluginManifest,
  type PluginRuntime,
} from '../sandbox/plugin-runtime.js';
import { enrichAtOnce, type FieldPlugin } from './field-plugins.js';

/** The enrich step's view of the plugin host. */
export interface EnrichingPlugins {
  enrichers(): { name: string; runtime: PluginRuntime }[];
  /** A fault of `runtime`: ignored once that runtime is no longer the plugin's (restarted). */
  fault(name: string, error: PluginCallError, runtime: PluginRuntime): void;
}

type Enricher = { name: string; runtime: PluginRuntime };
type Isolated = { name: string; runtime: IsolatedPluginRuntime };
type Group =
  | { kind: 'alone'; enricher: Enricher }
  | { kind: 'relay'; chain: Isolated[] }
  | { kind: 'fields'; plugins: FieldPlugin[] };

/**
 * The enrich step of ingestion, over a whole request at once, plugins in order. Built-ins are
 * called in process. Consecutive plugins that declare their fields run at once on narrowed
 * events (see `enrichAtOnce`); consecutive isolated plugins that read whole events get the batch
 * relayed from isolate to isolate (copied in and out of the host once for all of them). A plugin
 * that fails — for one event or for the whole call — loses only that: the events go on without
 * its additions, and the fault is recorded. A `drop` removes the event on purpose and names the
 * plugin.
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
      if (group.kind === 'alone') {
        await callOne(group.enricher, batch, indices);
      } else {
        const result =
          group.kind === 'relay'
            ? await enrichInIsolates(group.chain, batch)
            : await enrichAtOnce(group.plugins, batch);
        take(result, group.kind === 'relay' ? group.chain : group.plugins, batch, indices);
      }
    }
    return current.map((event, index) => {
      const reason = dropped[index];
      return reason === undefined ? ok(event) : drop(reason);
    });

    /** Applies a group's result and accounts for each plugin's calls, faults and errors. */
    function take(
      result: ChainResult,
      group: readonly Enricher[],
      batch: TrackingEvent[],
      indices: number[],
    ) {
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
        failed.delete(call.plugin);
        const outcome = call.outcome === 'ok' && errors ? 'error' : call.outcome;
        metrics.call(call.plugin, 'enrich', outcome, call.seconds);
        const runtime = group.find(({ name }) => name === call.plugin)!.runtime;
        if (call.error) plugins.fault(call.plugin, call.error, runtime);
        else if (errors) plugins.fault(call.plugin, perEventFault(errors, batch.length), runtime);
      }
    }

    /** A plugin on its own, in process with the whole events. */
    async function callOne({ name, runtime }: Enricher, batch: TrackingEvent[], indices: number[]) {
      const started = performance.now();
      try {
        const outcomes = await runtime.enrich(batch);
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

/** Each manifest's fields, split into paths once. */
const compiledFields = new WeakMap<PluginManifest, EventFields>();
function fieldsOf(manifest: PluginManifest, declared: readonly string[]): EventFields {
  let fields = compiledFields.get(manifest);
  if (fields === undefined) compiledFields.set(manifest, (fields = eventFields(declared)));
  return fields;
}

/**
 * Runs of consecutive plugins that declare their fields run at once; runs of consecutive
 * isolated plugins that read whole events become one relay; others stay on their own.
 */
function inGroups(enrichers: Enricher[]): Group[] {
  const groups: Group[] = [];
  for (const enricher of enrichers) {
    const { runtime, name } = enricher;
    const last = groups[groups.length - 1];
    const declared = runtime.manifest.permissions.fields;
    if (declared !== undefined) {
      const plugin = { name, runtime, fields: fieldsOf(runtime.manifest, declared) };
      if (last?.kind === 'fields') last.plugins.push(plugin);
      else groups.push({ kind: 'fields', plugins: [plugin] });
    } else if (runtime instanceof IsolatedPluginRuntime) {
      if (last?.kind === 'relay') last.chain.push({ name, runtime });
      else groups.push({ kind: 'relay', chain: [{ name, runtime }] });
    } else {
      groups.push({ kind: 'alone', enricher });
    }
  }
  return groups;
}

/** Per-event failures of one call count as one fault, naming how many events failed. */
function perEventFault(failed: { count: number; message: string }, size: number): PluginCallError {
  const suffix = size > 1 ? ` (${failed.count} of ${size} events)` : '';
  return new PluginCallError('error', 'enrich', `${failed.message}${suffix}`);
}
