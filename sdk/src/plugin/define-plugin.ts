import type { JsonSchema, PluginContext } from './plugin-context.js';
import type { PluginEvent } from './plugin-event.js';
import type { TrackingEvent } from './tracking-event.js';

export type { JsonSchema, PluginContext, PluginLog } from './plugin-context.js';

/** `drop` removes the event from ingestion (e.g. a bot); the reason is recorded. */
export type EnrichResult = TrackingEvent | { drop: string };

/**
 * What a plugin may reach. The host enforces every list; operators see them before installing.
 *
 * @example
 * permissions: {
 *   // exact hosts, `*.` wildcards, or `config:<field>` for the host of a URL in the config
 *   network: ['api.crm.example', 'config:url'],
 *   events: ['Identified', 'Tracked'],
 *   fields: ['type', 'userId', 'traits.email'],
 * }
 */
export interface PluginPermissions {
  /** Hosts `ctx.fetch` may call. Without it, every request is refused. */
  network?: readonly string[];
  /** Event types `onEvent`, `onBatch` and projections receive; required for those hooks. */
  events?: readonly string[];
  /**
   * The fields of a tracking event `enrich` reads, as dotted paths. When set, `enrich` receives
   * only these (the rest of the event never enters the plugin) and may change only these and
   * add keys under `enrichment`; other changes are refused as errors. Operators see what personal
   * data a plugin reads, and only these fields cross into the sandbox, which costs far less than
   * the whole event. Without it, `enrich` receives the whole event.
   *
   * @example
   * fields: ['type', 'context.page.url', 'properties.price']
   */
  fields?: readonly string[];
}

/**
 * A read model a plugin keeps in its own store from the events it may see. It has its own
 * checkpoint; rebuilding it clears what it wrote and replays the log from the start.
 *
 * @example
 * projections: [{
 *   name: 'orders-per-user',
 *   handles: ['Tracked'],
 *   async handle(events, { store }) {
 *     for (const event of events) {
 *       if (event.data.event === 'Order Completed') await store.increment(`orders:${event.streamId}`);
 *     }
 *   },
 * }]
 */
export interface PluginProjection<Config = Record<string, unknown>> {
  name: string;
  /** Event types it handles: a subset of `permissions.events`. */
  handles: readonly string[];
  handle(events: readonly PluginEvent[], context: PluginContext<Config>): void | Promise<void>;
}

export interface PluginDefinition<Config = Record<string, unknown>> {
  /** Unique, npm-style: `geo`, `@acme/uspa-crm`. */
  name: string;
  /** Semantic version of the plugin. */
  version: string;
  /** The USPA versions it runs on, as a semver range: `>=0.1.0 <1`. Checked on install. */
  host: string;
  description?: string;
  author?: string;
  /**
   * Validates the configuration before the plugin starts; defaults from it are applied. Mark
   * secrets `writeOnly: true` (or `format: 'password'`): they are masked in every response.
   */
  configSchema?: JsonSchema;
  permissions?: PluginPermissions;
  /** Runs once before the first call (load data files, warm caches). */
  setup?(context: PluginContext<Config>): void | Promise<void>;
  /**
   * Inline in ingestion: fast and deterministic, so a replay yields the same events. Return the
   * event with additions under `enrichment`, or `{ drop: reason }`. If it throws or runs out of
   * time, the event goes on without this plugin's additions. With `permissions.fields`, the
   * event holds only those fields.
   */
  enrich?(
    event: TrackingEvent,
    context: PluginContext<Config>,
  ): EnrichResult | Promise<EnrichResult>;
  /**
   * After the event is stored, asynchronously, at least once, in log order, from the plugin's own
   * checkpoint: destinations, webhooks, syncs. A throw is retried with backoff, then the event
   * goes to the plugin's dead letters, from which an operator can replay it.
   */
  onEvent?(event: PluginEvent, context: PluginContext<Config>): void | Promise<void>;
  /** Like `onEvent`, for a batch at a time (bulk APIs); a throw retries the whole batch. */
  onBatch?(events: readonly PluginEvent[], context: PluginContext<Config>): void | Promise<void>;
  projections?: readonly PluginProjection<Config>[];
  teardown?(context: PluginContext<Config>): void | Promise<void>;
}

/**
 * Declares a USPA plugin. Typing helper only: it returns its argument.
 *
 * @example
 * export default definePlugin<{ header: string }>({
 *   name: 'tenant',
 *   version: '1.0.0',
 *   host: '>=0.1.0',
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
