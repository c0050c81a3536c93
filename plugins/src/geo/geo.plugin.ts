import { LRUCache } from 'lru-cache';
import { definePlugin, mergedEnrichment, type TrackingEvent } from '@uspa/sdk';
import { openGeoDatabase, type GeoDatabase, type GeoLocation } from './geo-database.js';
import { anonymizeIp, isPublicIp, parseIp, type IpAddress } from './ip-address.js';

export type { GeoLocation } from './geo-database.js';

/** Configuration of the `geo` plugin, after the host has applied the schema's defaults. */
export interface GeoConfig {
  /** Truncate `context.ip` (IPv4 to /24, IPv6 to /48) and locate the truncated address. */
  anonymizeIp: boolean;
  /** A MaxMind-format `.mmdb` used for both address families instead of the bundled DB-IP data. */
  databasePath?: string;
}

// Keyed by the config object the host hands to both setup and enrich, so two workspaces that
// run this plugin with different databases do not share one.
const databases = new WeakMap<object, GeoDatabase>();

/**
 * IP address → `enrichment.geo` (`country`, `countryName`, `region`, `city`, `latitude`,
 * `longitude`, `timezone` when known), from `context.ip`. Private, loopback and unparseable
 * addresses get no geo and no error. Uses DB-IP Lite city data (CC BY 4.0): anything that shows
 * these results must credit "IP Geolocation by DB-IP" with a link to https://db-ip.com.
 *
 * @example
 * // config: { "geo": { "anonymizeIp": true } }
 * // in:  context.ip = '81.2.69.160'
 * // out: context.ip = '81.2.69.0',
 * //      enrichment.geo = { country: 'GB', countryName: 'United Kingdom', region: 'England',
 * //                         city: 'London', latitude: 51.5143, longitude: -0.0912 }
 */
export const geoPlugin = definePlugin<GeoConfig>({
  name: 'geo',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  description:
    'IP address → country, region, city and coordinates. IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0.',
  configSchema: {
    type: 'object',
    properties: {
      anonymizeIp: {
        type: 'boolean',
        default: false,
        description:
          'Zero the last octet of IPv4 and the last 80 bits of IPv6 in context.ip, and locate the truncated address.',
      },
      databasePath: {
        type: 'string',
        minLength: 1,
        description:
          'A MaxMind-format .mmdb file (GeoIP2/GeoLite2 City or Country, or DB-IP) to use instead of the bundled DB-IP Lite city data.',
      },
    },
    additionalProperties: false,
  },

  async setup({ config, log }) {
    const database = await openGeoDatabase(config.databasePath, (file) =>
      log.info('geo database loaded', { ...file }),
    );
    databases.set(config, database);
  },

  enrich(event, { config }) {
    const database = databases.get(config);
    if (!database) throw new Error('geo: enrich called before setup loaded the database');
    const parsed = parseIp(event.context.ip);
    if (!parsed) {
      // With anonymisation on, an address we cannot parse (and so cannot truncate) is not kept.
      return config.anonymizeIp && event.context.ip !== undefined ? withoutIp(event) : event;
    }
    const ip = config.anonymizeIp ? anonymizeIp(parsed) : parsed;
    const geo = isPublicIp(ip) ? locate(database, ip) : undefined;
    // The one place a plugin writes outside `enrichment`: the full address must never reach the
    // log when the operator asked for anonymisation.
    const context = config.anonymizeIp ? { ...event.context, ip: ip.address } : event.context;
    if (!geo && context === event.context) return event;
    return {
      ...event,
      context,
      enrichment: geo ? mergedEnrichment(event.enrichment, { geo }) : event.enrichment,
    };
  },

  teardown({ config }) {
    databases.delete(config);
  },
});

// A visitor sends many events from one address: its location is looked up once. Cached values
// are frozen, since events share them.
const locations = new WeakMap<GeoDatabase, LRUCache<string, GeoLocation | false>>();

function locate(database: GeoDatabase, ip: IpAddress): GeoLocation | undefined {
  let cache = locations.get(database);
  if (!cache) locations.set(database, (cache = new LRUCache({ max: 20_000 })));
  let location = cache.get(ip.address);
  if (location === undefined) {
    const found = database.locate(ip);
    location = found ? Object.freeze(found) : false;
    cache.set(ip.address, location);
  }
  return location || undefined;
}

function withoutIp(event: TrackingEvent): TrackingEvent {
  const { ip: _dropped, ...context } = event.context;
  return { ...event, context };
}
