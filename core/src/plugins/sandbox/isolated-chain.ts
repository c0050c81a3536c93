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

type Item = [unknown, [string, string] | null];
interface State {
  items: Item[];
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
  let batch = new ivm.ExternalCopy<State>({
    items: events.map((event) => [event, null]),
    errors: [],
  });
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
  const { items, errors } = (isPlainObject(state) ? state : {}) as Partial<State>;
  const wellFormed = Array.isArray(items) && items.length === events.length;
  const result: ChainResult = { items: [], errors: [], calls: [] };
  events.forEach((original, index) => {
    const item = wellFormed ? (items[index] as unknown) : undefined;
    const [event, drop] = Array.isArray(item)
      ? (item as [unknown, unknown])
      : [undefined, undefined];
    const validDrop =
      Array.isArray(drop) && typeof drop[0] === 'string' && typeof drop[1] === 'string';
    if (validDrop) {
      result.items.push({
        event: original,
        drop: { plugin: drop[0] as string, reason: drop[1] as string },
      });
    } else if (drop === null && isPlainObject(event) && isJsonData(event, 0)) {
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
