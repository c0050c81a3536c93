import { definePlugin, type TrackingEvent } from '@uspa/sdk';
import { attribute, type VisitSignals } from './attribution.js';
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
    const signals = visitSignals(event, config.internalHosts);
    if (!signals) return event;
    return { ...event, enrichment: { ...event.enrichment, campaign: attribute(signals) } };
  },
});

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
const parsedUrls = new Map<string, UrlParts | null>();
const MAX_PARSED_URLS = 5000;

function parseUrl(value: string | undefined): UrlParts | undefined {
  if (!value) return undefined;
  let parts = parsedUrls.get(value);
  if (parts === undefined) {
    try {
      const url = new URL(value);
      parts = { hostname: url.hostname, search: url.search };
    } catch {
      parts = null;
    }
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    parsedUrls.set(value, parts);
  }
  return parts ?? undefined;
}
