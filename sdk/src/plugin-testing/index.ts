/**
 * Testing a USPA plugin without a running USPA (`@uspa/sdk/plugin-testing`): a harness that calls
 * the plugin's hooks in process with the host's rules (config schema and defaults, declared hosts
 * only, a store with TTLs), and builders for realistic events.
 *
 * @example
 * import { aTrackingEvent, testPlugin } from '@uspa/sdk/plugin-testing';
 * import plugin from './index.js';
 *
 * const { events, errors } = await testPlugin(plugin).send([aTrackingEvent()]);
 */
export {
  testPlugin,
  PluginHarness,
  type DeliveryReport,
  type EnrichReport,
  type HarnessReport,
} from './test-plugin.js';
export type { LoggedLine } from './recording-context.js';
export type { FetchAnswer, FetchResponder, RecordedFetch } from './harness-fetch.js';
export { checkNetworkAccess, type NetworkAccess } from './network-permission.js';
export { MemoryPluginStore } from './memory-store.js';
export { validPluginConfig } from './plugin-config.js';
export {
  aPageView,
  aStoredEvent,
  aTrackingEvent,
  anIdentify,
  storedEventOf,
} from './sample-events.js';
