import { definePlugin, withEnrichment } from '@uspa/sdk';
import { describeDevice, type ClientHints, type Device } from './device.js';

export type { ClientHints, Device, DeviceType } from './device.js';

/** Configuration of the `user-agent` plugin, after the host has applied the schema's defaults. */
export interface UserAgentConfig {
  /** Drop events from crawlers, monitors and scripts instead of storing them. */
  dropBots: boolean;
}

// A site sees a few hundred distinct user agents for every hundred thousand events, and parsing
// one costs ~10 µs; remembering the last few thousand makes the common case a map lookup. The
// cache holds results of a pure function, frozen, so sharing them between events is safe.
const cacheSize = 5_000;
const parsed = new Map<string, Device | undefined>();

function cachedDevice(userAgent: string): Device | undefined {
  if (parsed.has(userAgent)) return parsed.get(userAgent);
  const device = describeDevice(userAgent);
  if (device) {
    Object.freeze(device.browser);
    Object.freeze(device.os);
    Object.freeze(device);
  }
  if (parsed.size >= cacheSize) parsed.delete(parsed.keys().next().value as string);
  parsed.set(userAgent, device);
  return device;
}

/**
 * `context.userAgent` (and `context.userAgentData`, the client hints Segment's analytics.js
 * sends) → `enrichment.device = { browser, os, deviceType, isBot }`. With `dropBots`, events
 * from bots are dropped with the reason `bot`.
 *
 * @example
 * // in:  context.userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) …'
 * // out: enrichment.device = { browser: { name: 'Safari', version: '17.5' },
 * //        os: { name: 'iOS', version: '17.5' }, deviceType: 'mobile', isBot: false }
 */
export const userAgentPlugin = definePlugin<UserAgentConfig>({
  name: 'user-agent',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  description: 'User agent → browser, operating system, device type and bot detection.',
  configSchema: {
    type: 'object',
    properties: {
      dropBots: {
        type: 'boolean',
        default: false,
        description: 'Drop events whose user agent is a crawler, monitor or script.',
      },
    },
    additionalProperties: false,
  },

  enrich(event, { config }) {
    const { userAgent, userAgentData } = event.context;
    const ua = typeof userAgent === 'string' ? userAgent.trim() : '';
    const hints = clientHints(userAgentData);
    // Hints vary per browser build, so only the UA-only case, by far the commonest, is cached.
    const device = hints ? describeDevice(ua, hints) : cachedDevice(ua);
    if (!device) return event;
    if (config.dropBots && device.isBot) return { drop: 'bot' };
    return withEnrichment(event, 'device', device);
  },
});

/** Only well-formed fields of `userAgentData`: it comes from the browser, untyped. */
function clientHints(value: unknown): ClientHints | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Record<string, unknown>;
  const hints: ClientHints = {};
  if (typeof data.mobile === 'boolean') hints.mobile = data.mobile;
  if (typeof data.platform === 'string' && data.platform) hints.platform = data.platform;
  if (typeof data.platformVersion === 'string' && data.platformVersion) {
    hints.platformVersion = data.platformVersion;
  }
  const brands = brandList(data.brands);
  if (brands) hints.brands = brands;
  const fullVersionList = brandList(data.fullVersionList);
  if (fullVersionList) hints.fullVersionList = fullVersionList;
  return Object.keys(hints).length > 0 ? hints : undefined;
}

function brandList(value: unknown): { brand: string; version: string }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter(
    (entry): entry is { brand: string; version: string } =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { brand?: unknown }).brand === 'string' &&
      typeof (entry as { version?: unknown }).version === 'string',
  );
  return list.length > 0 ? list : undefined;
}
