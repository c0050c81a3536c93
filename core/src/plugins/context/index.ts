export { createPluginBridge, type PluginBridgeOptions } from './plugin-bridge.js';
export {
  PluginLogBook,
  type PluginLogBookOptions,
  type PluginLogLevel,
  type PluginLogLine,
} from './plugin-log-book.js';
export {
  MAX_CUSTOM_METRICS,
  PluginMetrics,
  sanitiseMetricName,
  type CustomMetricResult,
  type PluginCallOutcome,
  type PluginMetricsSnapshot,
} from './plugin-metrics.js';
export { storePrefix } from './plugin-store.js';
