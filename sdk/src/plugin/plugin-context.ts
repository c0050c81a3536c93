/** A JSON Schema (draft 2020-12 or 07) for a plugin's configuration. */
export type JsonSchema = Record<string, unknown>;

/** Structured log lines of one plugin; operators see the recent ones per plugin. */
export interface PluginLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What a plugin's `fetch` accepts: a subset of the Fetch API that can cross an isolate. */
export interface PluginFetchInit {
  method?: string;
  headers?: Record<string, string>;
  /** A string body; send JSON with `JSON.stringify` and a `content-type` header. */
  body?: string;
  /** Milliseconds before the request is abandoned; the host caps it. */
  timeoutMs?: number;
}

/** The response of a plugin's `fetch`, read in full (bodies are capped by the host). */
export interface PluginFetchResponse {
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * HTTP(S) to the hosts the plugin declared in `permissions.network`, and nowhere else: a request
 * to any other host is refused with an error before anything leaves the machine.
 *
 * @example
 * const response = await ctx.fetch('https://api.crm.example/v1/contacts', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ email }),
 * });
 * if (!response.ok) throw new Error(`CRM answered ${response.status}`);
 */
export type PluginFetch = (url: string, init?: PluginFetchInit) => Promise<PluginFetchResponse>;

/**
 * A key-value store of the plugin's own: keys are namespaced by plugin, so no plugin can read
 * another's. Values are JSON.
 *
 * @example
 * const seen = await ctx.store.get<number>(`orders:${userId}`);
 * await ctx.store.set(`orders:${userId}`, (seen ?? 0) + 1, { ttlSeconds: 86_400 });
 */
export interface PluginStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds `by` (default 1) to a number stored under `key` and returns the new value. */
  increment(key: string, by?: number): Promise<number>;
}

/**
 * Counters a plugin keeps; operators see them beside the host's own plugin metrics.
 *
 * @example
 * ctx.metrics.increment('contacts_synced');
 */
export interface PluginMetrics {
  increment(name: string, by?: number): void;
}

/**
 * What a plugin receives: its validated configuration, its log, `fetch` to its declared hosts,
 * its own key-value store and its metrics. Nothing of the host (no container, no core internals).
 */
export interface PluginContext<Config> {
  readonly config: Readonly<Config>;
  readonly log: PluginLog;
  readonly fetch: PluginFetch;
  readonly store: PluginStore;
  readonly metrics: PluginMetrics;
}
