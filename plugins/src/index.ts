import type { PluginDefinition } from '@uspa/sdk';
import { campaignPlugin } from './campaign/campaign.plugin.js';
import { geoPlugin } from './geo/geo.plugin.js';
import { topicsPlugin } from './topics/topics.plugin.js';
import { userAgentPlugin } from './user-agent/user-agent.plugin.js';
import { webhookPlugin } from './webhook/webhook.plugin.js';

export {
  campaignPlugin,
  type Campaign,
  type CampaignConfig,
  type Channel,
} from './campaign/campaign.plugin.js';
export { geoPlugin, type GeoConfig, type GeoLocation } from './geo/geo.plugin.js';
export { isPublicIp, parseIp, type IpAddress } from './geo/ip-address.js';
export { topicsPlugin, type TopicsConfig } from './topics/topics.plugin.js';
export { retailTaxonomy } from './topics/retail-taxonomy.js';
export {
  userAgentPlugin,
  type ClientHints,
  type Device,
  type DeviceType,
  type UserAgentConfig,
} from './user-agent/user-agent.plugin.js';
export {
  webhookPlugin,
  INTERACTION_EVENT_TYPES,
  type WebhookConfig,
} from './webhook/webhook.plugin.js';
export {
  signWebhook,
  verifyWebhookSignature,
  type VerifyOptions,
} from './webhook/webhook-signature.js';

/**
 * The built-in enrichment plugins in the order they run. `user-agent` goes first so that, with
 * `dropBots`, a bot is dropped before the others spend time on it; `geo` next, since with
 * `anonymizeIp` it rewrites `context.ip` and nothing after it should see the full address.
 * `campaign` and `topics` read only page context and properties, so their order is free.
 *
 * @example
 * import { builtInPlugins } from '@uspa/plugins';
 * const active = await startEnrichmentPlugins(builtInPlugins, config.plugins, logger);
 */
export const builtInPlugins: readonly PluginDefinition<never>[] = [
  userAgentPlugin,
  geoPlugin,
  campaignPlugin,
  topicsPlugin,
];

/**
 * Every plugin that ships with USPA, for the plugin catalog: the enrichment plugins in the order
 * they run, then the destinations. Unlike {@link builtInPlugins}, being listed here does not turn
 * a plugin on: a destination runs once an operator configures and enables it.
 *
 * @example
 * import { builtInPluginCatalog } from '@uspa/plugins';
 * const names = builtInPluginCatalog.map((plugin) => plugin.name);
 * // ['user-agent', 'geo', 'campaign', 'topics', 'webhook']
 */
export const builtInPluginCatalog: readonly PluginDefinition<never>[] = [
  ...builtInPlugins,
  webhookPlugin,
];
