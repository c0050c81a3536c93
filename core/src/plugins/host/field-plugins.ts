import type { EventFields, FieldChanges, TrackingEvent } from '@uspa/sdk';
import { FieldColumns } from '../sandbox/field-columns.js';
import type { ChainResult } from '../sandbox/isolated-chain.js';
import {
  PluginCallError,
  type FieldOutcome,
  type PluginRuntime,
} from '../sandbox/plugin-runtime.js';

/** A plugin that declares the fields its `enrich` reads. */
export interface FieldPlugin {
  name: string;
  runtime: PluginRuntime;
  fields: EventFields;
}

/**
 * Runs consecutive plugins that declare their fields over a batch, all at once, and applies
 * their changes in their declared order. That gives what running them one after another gives:
 * a plugin's answer for an event is kept only when no plugin before it changed (or added under
 * `enrichment`) anything it reads; otherwise it is asked again, with the event as changed. Each
 * plugin then waits for no other, so a request with several of them waits for the slowest,
 * not for their sum. A plugin may be asked about an event that a plugin before it drops: that
 * answer is dropped too. A call that fails as a whole loses that plugin's changes only.
 *
 * @example
 * const result = await enrichAtOnce([{ name: 'utm', runtime, fields }], events);
 * result.items[0].event.enrichment.utm;
 */
export async function enrichAtOnce(
  plugins: readonly FieldPlugin[],
  events: readonly TrackingEvent[],
): Promise<ChainResult> {
  const result: ChainResult = {
    items: events.map((event) => ({ event })),
    errors: [],
    calls: [],
  };
  const columns = new FieldColumns(events);
  const answers = await Promise.all(
    plugins.map((plugin) => timedCall(plugin, events, result, columns)),
  );
  // Per event, the fields changed so far: a plugin's answer, made from the event as it came,
  // holds only if it reads none of them; otherwise it is asked again, with the event as changed.
  const touched = events.map(() => [] as string[]);
  // Each event is copied once, by the first change; later changes write into that copy.
  const owned = new Set<unknown>();
  // Enrichment keys are noted only for a plugin after which one reads under `enrichment`.
  const readers = plugins.map(({ fields }) => readsEnrichment(fields));
  for (const [k, plugin] of plugins.entries()) {
    const answer = answers[k];
    if (answer === undefined) continue;
    // What the last plugin changes, no plugin after it reads: no need to note it.
    const tracked =
      k < plugins.length - 1 ? { touched, enrichment: readers.includes(true, k + 1) } : undefined;
    const again: number[] = [];
    for (const [index, item] of result.items.entries()) {
      if (item.drop !== undefined) continue;
      if (reads(plugin.fields, touched[index]!)) again.push(index);
      else apply(plugin, answer[index]!, index, result, tracked, owned);
    }
    if (again.length === 0) continue;
    const retried = await timedCall(
      plugin,
      again.map((index) => result.items[index]!.event),
      result,
    );
    if (retried === undefined) continue;
    again.forEach((index, n) => apply(plugin, retried[n]!, index, result, tracked, owned));
  }
  return result;
}

async function timedCall(
  { name, runtime, fields }: FieldPlugin,
  events: readonly TrackingEvent[],
  result: ChainResult,
  columns?: FieldColumns,
): Promise<FieldOutcome[] | undefined> {
  const started = performance.now();
  try {
    const outcomes = await runtime.enrichChanges(events, fields, columns);
    result.calls.push({ plugin: name, outcome: 'ok', seconds: seconds(started) });
    return outcomes;
  } catch (error) {
    const failure =
      error instanceof PluginCallError
        ? error
        : new PluginCallError('error', 'enrich', String(error));
    result.calls.push({
      plugin: name,
      outcome: failure.kind,
      seconds: seconds(started),
      error: failure,
    });
    return undefined;
  }
}

function apply(
  plugin: FieldPlugin,
  outcome: FieldOutcome,
  index: number,
  result: ChainResult,
  tracked: { touched: string[][]; enrichment: boolean } | undefined,
  owned: Set<unknown>,
): void {
  const item = result.items[index]!;
  if (item.drop !== undefined) return;
  if (outcome.kind === 'drop') {
    item.drop = { plugin: plugin.name, reason: outcome.reason };
  } else if (outcome.kind === 'error') {
    result.errors.push({ plugin: plugin.name, index, message: outcome.message });
  } else {
    const applied = plugin.fields.applyChanges(item.event, outcome.changes, owned);
    if ('error' in applied) {
      result.errors.push({ plugin: plugin.name, index, message: applied.error });
      return;
    }
    item.event = applied.event;
    if (tracked === undefined) return;
    const changed = changedFields(plugin.fields, outcome.changes, tracked.enrichment);
    if (changed.length > 0) tracked.touched[index]!.push(...changed);
  }
}

/** The fields a plugin's answer changed: those it set or removed, and its enrichment keys. */
function changedFields(
  fields: EventFields,
  { enrichment, changes }: FieldChanges,
  noteEnrichment: boolean,
): string[] {
  const changed = changes.map(([field]) => fields.fields[field]!);
  if (enrichment && noteEnrichment) {
    for (const key of Object.keys(enrichment)) changed.push(`enrichment.${key}`);
  }
  return changed;
}

/** Whether a plugin reads any of the fields changed before it (one containing the other). */
function reads(fields: EventFields, changed: readonly string[]): boolean {
  return changed.some((field) =>
    fields.fields.some((read) => within(read, field) || within(field, read)),
  );
}

function readsEnrichment(fields: EventFields): boolean {
  return fields.fields.some((read) => within(read, 'enrichment'));
}

const DOT = '.'.charCodeAt(0);

/**
 * Whether `path` is `outer` or a field inside it (`context.page` is within `context`), without
 * building `outer + '.'`: this runs per event and plugin, where a built string costs more.
 */
function within(path: string, outer: string): boolean {
  return (
    path.startsWith(outer) &&
    (path.length === outer.length || path.charCodeAt(outer.length) === DOT)
  );
}

const seconds = (started: number): number => (performance.now() - started) / 1000;
