import type { TrackingEvent } from '@uspa/sdk';
import ivm from 'isolated-vm';
import { isJsonData, isPlainObject } from './enrich-outcomes.js';
import type { IsolatedPluginRuntime } from './isolated-plugin-runtime.js';
import { PluginCallError, type PluginFaultKind } from './plugin-runtime.js';

/** What a chain of isolated plugins made of a batch, for the host to apply and account for. */
export interface ChainResult {
  /** One per event, in order: the event as the chain left it, and who dropped it, if anyone. */
  items: { event: TrackingEvent; drop?: { plugin: string; reason: string } }[];
  /** Events a plugin's `enrich` threw (or answered wrongly) for: they went on without it. */
  errors: { plugin: string; index: number; message: string }[];
  /** Each plugin's call: how it ended and how long it took. */
  calls: {
    plugin: string;
    outcome: 'ok' | PluginFaultKind;
    seconds: number;
    error?: PluginCallError;
  }[];
}

/** The relay state (see `isolate-relay.ts`): events in order, drops and errors by index. */
interface State {
  events: unknown[];
  drops: [number, string, string][];
  errors: [string, number, string][];
}

/**
 * Runs consecutive isolated `enrich` plugins over a batch, relaying it from isolate to isolate
 * as an external copy: the host copies the batch in once and the result out once, whatever the
 * number of plugins, and each isolate copies on its own thread. A plugin whose call fails as a
 * whole (time, memory) is skipped: the next one gets the batch as it was before it.
 *
 * @example
 * const result = await enrichInIsolates([{ name: 'crm', runtime }], events);
 * result.items[0].event.enrichment.crm;
 */
export async function enrichInIsolates(
  chain: readonly { name: string; runtime: IsolatedPluginRuntime }[],
  events: readonly TrackingEvent[],
): Promise<ChainResult> {
  const calls: ChainResult['calls'] = [];
  let batch = new ivm.ExternalCopy<State>({ events: [...events], drops: [], errors: [] });
  for (const { name, runtime } of chain) {
    const started = performance.now();
    try {
      const next = (await runtime.relay(batch)) as ivm.ExternalCopy<State>;
      if (next !== batch) batch.release();
      batch = next;
      calls.push({ plugin: name, outcome: 'ok', seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      const failure =
        error instanceof PluginCallError
          ? error
          : new PluginCallError('error', 'enrich', String(error));
      calls.push({
        plugin: name,
        outcome: failure.kind,
        seconds: (performance.now() - started) / 1000,
        error: failure,
      });
    }
  }
  const state = batch.copy();
  batch.release();
  return {
    ...readState(
      state,
      events,
      chain.map(({ name }) => name),
    ),
    calls,
  };
}

/**
 * The relay state is untrusted (any plugin could have shaped it): anything malformed or not
 * plain JSON falls back to the event as it came in, with an error on the chain's plugins.
 */
function readState(
  state: unknown,
  events: readonly TrackingEvent[],
  plugins: readonly string[],
): Omit<ChainResult, 'calls'> {
  const { events: relayed, drops, errors } = (isPlainObject(state) ? state : {}) as Partial<State>;
  const wellFormed = Array.isArray(relayed) && relayed.length === events.length;
  const dropOf = new Map<number, { plugin: string; reason: string }>();
  for (const entry of Array.isArray(drops) ? (drops as unknown[]) : []) {
    if (!Array.isArray(entry)) continue;
    const [index, plugin, reason] = entry as unknown[];
    if (typeof index === 'number' && typeof plugin === 'string' && typeof reason === 'string') {
      if (!dropOf.has(index)) dropOf.set(index, { plugin, reason });
    }
  }
  const result: ChainResult = { items: [], errors: [], calls: [] };
  events.forEach((original, index) => {
    const drop = dropOf.get(index);
    const event = wellFormed ? relayed[index] : undefined;
    if (drop !== undefined) {
      result.items.push({ event: original, drop });
    } else if (isPlainObject(event) && isJsonData(event, 0)) {
      result.items.push({ event: event as unknown as TrackingEvent });
    } else {
      result.items.push({ event: original });
      for (const plugin of plugins) {
        result.errors.push({
          plugin,
          index,
          message: 'the enriched event was not plain JSON data',
        });
      }
    }
  });
  if (Array.isArray(errors)) {
    for (const entry of errors as unknown[]) {
      if (!Array.isArray(entry)) continue;
      const [plugin, index, message] = entry as unknown[];
      if (typeof plugin === 'string' && typeof index === 'number' && typeof message === 'string') {
        result.errors.push({ plugin, index, message });
      }
    }
  }
  return result;
}
