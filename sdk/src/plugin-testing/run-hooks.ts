import type {
  PluginContext,
  PluginDefinition,
  PluginEvent,
  TrackingEvent,
} from '../plugin/index.js';
import { eventFields } from '../permissions/event-fields.js';
import { jsonFlaw } from './json-flaw.js';

/** What `enrich` made of a batch of tracking events. */
export interface EnrichOutcomes {
  /** The events that go on, in order: enriched, or as they came when `enrich` threw. */
  events: TrackingEvent[];
  dropped: { messageId: string; reason: string }[];
  /** Events for which `enrich` threw: they went on without this plugin's additions. */
  errors: { messageId: string; message: string }[];
}

/**
 * Calls `enrich` on each event the way the host does: one call per event, in order, without
 * waiting for one call's promise before making the next, then all results awaited.
 */
export async function runEnrich<Config>(
  plugin: PluginDefinition<Config>,
  context: PluginContext<Config>,
  events: readonly TrackingEvent[],
): Promise<EnrichOutcomes> {
  const enrich = plugin.enrich?.bind(plugin);
  const declared = plugin.permissions?.fields;
  // With declared fields, the host hands enrich only those, and puts its result back.
  const fields = declared === undefined ? undefined : eventFields(declared);
  const results = events.map(async (event): Promise<Outcome> => {
    // The host hands each call a copy across the sandbox: a plugin cannot change the caller's.
    const input = structuredClone(
      fields ? (fields.narrow(event) as unknown as TrackingEvent) : event,
    );
    if (!enrich) return { kind: 'ok', event: structuredClone(event) };
    try {
      const outcome = checked(await enrich(input, context));
      if (outcome.kind !== 'ok' || fields === undefined) return outcome;
      const applied = fields.apply(
        structuredClone(event),
        outcome.event as unknown as Record<string, unknown>,
      );
      return 'error' in applied
        ? { kind: 'error', message: applied.error }
        : { kind: 'ok', event: applied.event };
    } catch (error) {
      return { kind: 'error', message: messageOf(error) };
    }
  });
  const outcomes: EnrichOutcomes = { events: [], dropped: [], errors: [] };
  for (const [index, outcome] of (await Promise.all(results)).entries()) {
    const { messageId } = events[index]!;
    if (outcome.kind === 'ok') outcomes.events.push(outcome.event);
    else if (outcome.kind === 'drop') outcomes.dropped.push({ messageId, reason: outcome.reason });
    else {
      outcomes.errors.push({ messageId, message: outcome.message });
      outcomes.events.push(structuredClone(events[index]!));
    }
  }
  return outcomes;
}

type Outcome =
  | { kind: 'ok'; event: TrackingEvent }
  | { kind: 'drop'; reason: string }
  | { kind: 'error'; message: string };

/** What the hooks of a consumer plugin made of a batch of stored events. */
export interface DeliveryOutcomes {
  /** Ids of the events the hooks received: those whose type is in `permissions.events`. */
  delivered: string[];
  /** Ids of the events the host would not deliver, their type not being in `permissions.events`. */
  ignored: string[];
  /** Events a hook threw on (for `onBatch`, every event of the batch). The host would retry. */
  errors: { id: string; hook: 'onEvent' | 'onBatch'; message: string }[];
}

/**
 * Hands the permitted events to `onBatch` all at once when the plugin has it, else to `onEvent`
 * one at a time in order: the host's consumer does the same.
 */
export async function runDelivery<Config>(
  plugin: PluginDefinition<Config>,
  context: PluginContext<Config>,
  events: readonly PluginEvent[],
): Promise<DeliveryOutcomes> {
  const permitted = plugin.permissions?.events ?? [];
  if (!plugin.onEvent && !plugin.onBatch) {
    throw new Error(`plugin ${plugin.name} has neither onEvent nor onBatch`);
  }
  if (permitted.length === 0) {
    throw new Error(
      `plugin ${plugin.name} must list the event types it consumes in permissions.events`,
    );
  }
  const delivered = events.filter((event) => permitted.includes(event.type));
  const outcomes: DeliveryOutcomes = {
    delivered: delivered.map((event) => event.id),
    ignored: events.filter((event) => !permitted.includes(event.type)).map((event) => event.id),
    errors: [],
  };
  if (plugin.onBatch) {
    if (delivered.length === 0) return outcomes;
    try {
      await plugin.onBatch(structuredClone(delivered), context);
    } catch (error) {
      const message = messageOf(error);
      for (const { id } of delivered) outcomes.errors.push({ id, hook: 'onBatch', message });
    }
    return outcomes;
  }
  for (const event of delivered) {
    try {
      await plugin.onEvent?.(structuredClone(event), context);
    } catch (error) {
      outcomes.errors.push({ id: event.id, hook: 'onEvent', message: messageOf(error) });
    }
  }
  return outcomes;
}

/** The host's checks of an enrich result, in its words; the event as it is stored (JSON). */
function checked(result: unknown): Outcome {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    const got = result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result;
    return { kind: 'error', message: `enrich returned ${got}, not an event` };
  }
  if ('drop' in result) return { kind: 'drop', reason: String(result.drop) };
  const flaw = jsonFlaw(result);
  if (flaw) {
    const where = flaw.path.join('.') || 'the top';
    const message = `enrich returned ${flaw.what} at ${where}; events are JSON (dates as ISO strings)`;
    return { kind: 'error', message };
  }
  return { kind: 'ok', event: JSON.parse(JSON.stringify(result)) as TrackingEvent };
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
