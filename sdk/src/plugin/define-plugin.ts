import type { TrackingEvent } from './tracking-event.js';

/** A JSON Schema (draft 2020-12 or 07) for a plugin's configuration. */
export type JsonSchema = Record<string, unknown>;

/** Structured log lines of one plugin; operators see them per plugin. */
export interface PluginLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What a plugin receives: its validated configuration and its log, nothing of the host. */
export interface PluginContext<Config> {
  readonly config: Readonly<Config>;
  readonly log: PluginLog;
}

/** `drop` removes the event from ingestion (e.g. a bot); the reason is recorded. */
export type EnrichResult = TrackingEvent | { drop: string };

export interface PluginDefinition<Config = Record<string, unknown>> {
  /** Unique, npm-style: `geo`, `@acme/uspa-crm`. */
  name: string;
  version: string;
  description?: string;
  /** Validates the configuration before the plugin starts; defaults from it are applied. */
  configSchema?: JsonSchema;
  /** Runs once before the first call (load data files, warm caches). */
  setup?(context: PluginContext<Config>): void | Promise<void>;
  /**
   * Inline in ingestion: fast and deterministic, so a replay yields the same events. Return the
   * event with additions under `enrichment`, or `{ drop: reason }`.
   */
  enrich?(
    event: TrackingEvent,
    context: PluginContext<Config>,
  ): EnrichResult | Promise<EnrichResult>;
  teardown?(context: PluginContext<Config>): void | Promise<void>;
}

/**
 * Declares a USPA plugin. Typing helper only: it returns its argument.
 *
 * @example
 * export default definePlugin<{ header: string }>({
 *   name: 'tenant',
 *   version: '1.0.0',
 *   configSchema: { type: 'object', properties: { header: { type: 'string' } } },
 *   enrich(event, { config }) {
 *     return { ...event, enrichment: { ...event.enrichment, tenant: event.context[config.header] } };
 *   },
 * });
 */
export function definePlugin<Config = Record<string, unknown>>(
  definition: PluginDefinition<Config>,
): PluginDefinition<Config> {
  return definition;
}
