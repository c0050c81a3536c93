import { definePlugin, withEnrichment, type TrackingEvent } from '@uspa/sdk';
import { LRUCache } from 'lru-cache';
import { attribute, type Campaign, type VisitSignals } from './attribution.js';
import { clickIds } from './known-sources.js';

export type { Campaign, Channel } from './attribution.js';

/** Configuration of the `campaign` plugin, after the host has applied the schema's defaults. */
export interface CampaignConfig {
  /** Hosts that count as this site (with their subdomains): a referrer from them is not a referral. */
  internalHosts: string[];
}

/**
 * UTM parameters, ad click ids and the referrer → `enrichment.campaign = { source, medium, name,
 * term, content, clickId?, channel, referrerHost? }`, where `channel` is one of `paid`, `email`,
 * `affiliate`, `social`, `search`, `referral`, `direct` or `other` (tagged, medium unknown).
 * Events without page, campaign or referrer context (server-side calls) are left as they are.
 *
 * @example
 * // in:  context.page = { url: 'https://shop.example/?utm_source=google&utm_medium=cpc&gclid=abc',
 * //                       referrer: 'https://www.google.com/' }
 * // out: enrichment.campaign = { source: 'google', medium: 'cpc', channel: 'paid',
 * //        clickId: { param: 'gclid', value: 'abc' }, referrerHost: 'www.google.com' }
 */
export const campaignPlugin = definePlugin<CampaignConfig>({
  name: 'campaign',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  description: 'UTM parameters, click ids and referrer → source, medium and marketing channel.',
  configSchema: {
    type: 'object',
    properties: {
      internalHosts: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: [],
        description:
          "Hosts of this site besides the page's own (e.g. a separate checkout); a referrer from them is not a referral.",
      },
    },
    additionalProperties: false,
  },

  enrich(event, { config }) {
    const key = attributionKey(event);
    if (key === undefined) return event;
    let cache = attributions.get(config);
    if (!cache) attributions.set(config, (cache = new LRUCache({ max: 10_000 })));
    let campaign = cache.get(key);
    if (campaign === undefined) {
      const signals = visitSignals(event, config.internalHosts);
      if (!signals) return event;
      campaign = deepFreeze(attribute(signals));
      cache.set(key, campaign);
    }
    return withEnrichment(event, 'campaign', campaign);
  },
});

/**
 * Landing pages and referrers repeat across a site's traffic, so attributions are remembered by
 * everything `visitSignals` reads (per configuration). Cached values are frozen: events share them.
 */
const attributions = new WeakMap<CampaignConfig, LRUCache<string, Campaign>>();

/** Every input of the attribution, as one string; undefined when the event has none. */
function attributionKey(event: TrackingEvent): string | undefined {
  const page = record(event.context.page);
  const campaign = record(event.context.campaign);
  const contextReferrer = record(event.context.referrer);
  const properties = event.type === 'page' ? event.properties : undefined;
  if (!page && !campaign && !contextReferrer && !properties?.url && !properties?.referrer) {
    return undefined;
  }
  const parts: unknown[] = [
    event.type,
    page?.url,
    page?.search,
    page?.referrer,
    contextReferrer?.url,
    properties?.url,
    properties?.search,
    properties?.referrer,
    campaign?.source,
    campaign?.medium,
    campaign?.name,
    campaign?.term,
    campaign?.content,
  ];
  return parts.map((part) => (typeof part === 'string' ? part : '')).join('\u0001');
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/** Undefined for an event that carries no page, campaign or referrer context at all. */
function visitSignals(
  event: TrackingEvent,
  internalHosts: readonly string[],
): VisitSignals | undefined {
  const page = record(event.context.page);
  const campaign = record(event.context.campaign);
  const contextReferrer = record(event.context.referrer);
  // analytics.js repeats the page fields in a page call's properties; other calls' properties
  // describe other things (a product's url), so only `page` events are read there.
  const pageProperties = event.type === 'page' ? event.properties : {};
  const pageCall = text(pageProperties.url) ?? text(pageProperties.referrer);
  if (!page && !campaign && !contextReferrer && !pageCall) return undefined;

  const pageUrl = parseUrl(text(page?.url) ?? text(pageProperties.url));
  const query = new URLSearchParams(
    text(page?.search) ?? text(pageProperties.search) ?? pageUrl?.search ?? '',
  );
  const referrer = parseUrl(
    text(page?.referrer) ?? text(contextReferrer?.url) ?? text(pageProperties.referrer),
  );
  const lower = (value: string | undefined) => value?.toLowerCase();
  const param = clickIds.find((name) => text(query.get(name)));
  return {
    utm: {
      source: lower(text(campaign?.source) ?? text(query.get('utm_source'))),
      medium: lower(text(campaign?.medium) ?? text(query.get('utm_medium'))),
      name: text(campaign?.name) ?? text(query.get('utm_campaign')),
      term: text(campaign?.term) ?? text(query.get('utm_term')),
      content: text(campaign?.content) ?? text(query.get('utm_content')),
    },
    ...(param ? { clickId: { param, value: text(query.get(param))! } } : {}),
    ...(referrer?.hostname ? { referrerHost: referrer.hostname } : {}),
    siteHosts: pageUrl?.hostname ? [pageUrl.hostname, ...internalHosts] : [...internalHosts],
  };
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** A trimmed, non-empty string, or undefined. */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The parts of a URL attribution reads. */
interface UrlParts {
  hostname: string;
  search: string;
}

// Referrers and landing pages repeat a lot, and WHATWG URL parsing is the costliest step here.
const parsedUrls = new LRUCache<string, UrlParts | false>({ max: 5000 });

function parseUrl(value: string | undefined): UrlParts | undefined {
  if (!value) return undefined;
  let parts = parsedUrls.get(value);
  if (parts === undefined) {
    try {
      const url = new URL(value);
      parts = { hostname: url.hostname, search: url.search };
    } catch {
      parts = false;
    }
    parsedUrls.set(value, parts);
  }
  return parts || undefined;
}
