import type { KeyValueStore } from '@uspa/projections';
import type { PluginBridge } from '../sandbox/plugin-runtime.js';
import { hostAllowed } from '@uspa/sdk';
import {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_FETCH_TIMEOUT_MS,
  pluginFetch,
  type FetchPolicy,
} from './plugin-fetch.js';
import type { PluginLogBook } from './plugin-log-book.js';
import { MAX_CUSTOM_METRICS, type PluginMetrics } from './plugin-metrics.js';
import { pluginKeyValues } from './plugin-store.js';
import { publicOnlyDispatcher } from './public-address.js';

/** One pool for every plugin's requests to the public internet. */
const PUBLIC_ONLY = publicOnlyDispatcher();

export interface PluginBridgeOptions {
  /** The plugin's name: its log lines, metrics and store keys are filed under it. */
  plugin: string;
  /** Its declared `permissions.network`. */
  network: readonly string[];
  /** Its validated configuration (for `config:<field>` network patterns). */
  config: Readonly<Record<string, unknown>>;
  keyValues: KeyValueStore;
  logBook: PluginLogBook;
  metrics: PluginMetrics;
  limits?: {
    /** Default `ctx.fetch` timeout (10 s); no request runs past 30 s whatever it asks. */
    fetchTimeoutMs?: number;
    /** Largest `ctx.fetch` response body (1 MB). */
    maxResponseBytes?: number;
  };
  /**
   * Whether a declared host name may resolve to a loopback, private or link-local address
   * (`plugins.fetchPrivateNetworks`). Off by default: a plugin reaches the public internet, and
   * an address inside the network only when its declaration or config names that address.
   */
  privateNetworks?: boolean;
}

/**
 * What the host lends one plugin, limited to it: `fetch` to its declared hosts, a store under
 * its own key prefix, its log lines and its metrics. The sandbox builds the plugin's `ctx` on it.
 *
 * @example
 * const bridge = createPluginBridge({
 *   plugin: 'crm', network: ['config:url'], config: { url: 'https://api.crm.example' },
 *   keyValues, logBook, metrics,
 * });
 * await bridge.fetch('https://api.crm.example/v1/contacts'); // allowed
 * await bridge.fetch('https://elsewhere.example/');           // rejects, nothing sent
 */
export function createPluginBridge(options: PluginBridgeOptions): PluginBridge {
  const { plugin, network, config, logBook, metrics } = options;
  // A copy: the list the operator approved, not an array someone may change later.
  const patterns = [...network];
  const policy: FetchPolicy = {
    allowed: (url) => hostAllowed(url, patterns, config),
    timeoutMs: Math.min(
      options.limits?.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
      MAX_FETCH_TIMEOUT_MS,
    ),
    maxResponseBytes: options.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    ...(options.privateNetworks ? {} : { dispatcher: PUBLIC_ONLY }),
  };
  const store = pluginKeyValues(plugin, options.keyValues);
  return {
    log: (level, message, fields) => logBook.record(plugin, level, message, fields),
    fetch: (url, init) => pluginFetch(url, init, policy),
    storeGet: (key) => store.get(key),
    storeSet: (key, value, ttlSeconds) => store.set(key, value, ttlSeconds),
    storeDelete: (key) => store.delete(key),
    storeIncrement: (key, by) => store.increment(key, by),
    metric(name, by) {
      if (metrics.custom(plugin, name, by) !== 'limit_reached') return;
      logBook.record(
        plugin,
        'warn',
        `ctx.metrics: more than ${MAX_CUSTOM_METRICS} distinct metric names; "${name}" and any further new names are ignored`,
      );
    },
  };
}
