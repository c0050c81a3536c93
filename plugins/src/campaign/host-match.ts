import {
  countrySecondLevels,
  searchEngines,
  socialNetworks,
  webmailSites,
} from './known-sources.js';

/** What a referrer host is, when it is a site the classifier knows. */
export interface KnownSite {
  kind: 'search' | 'social' | 'email';
  /** The source name, e.g. `google`, `facebook`, `gmail`. */
  name: string;
}

interface SiteTable {
  kind: KnownSite['kind'];
  /** Exact host → name; a host's parents are looked up too. */
  hosts: Map<string, string>;
  /** `google.*` entries: brand label → name. */
  brands: Map<string, string>;
}

function siteTable(kind: KnownSite['kind'], sites: Record<string, readonly string[]>): SiteTable {
  const table: SiteTable = { kind, hosts: new Map(), brands: new Map() };
  for (const [name, patterns] of Object.entries(sites)) {
    for (const pattern of patterns) {
      if (pattern.endsWith('.*')) table.brands.set(pattern.slice(0, -2), name);
      else table.hosts.set(pattern, name);
    }
  }
  return table;
}

// Webmail first: `mail.google.com` is an email click, not a Google search.
const tables = [
  siteTable('email', webmailSites),
  siteTable('search', searchEngines),
  siteTable('social', socialNetworks),
];

/**
 * The search engine, social network or webmail site a host belongs to.
 *
 * @example
 * knownSite('www.google.co.uk'); // { kind: 'search', name: 'google' }
 * knownSite('l.facebook.com');   // { kind: 'social', name: 'facebook' }
 * knownSite('docs.google.com');  // undefined: a link in a document is a referral
 */
export function knownSite(host: string): KnownSite | undefined {
  const labels = host.split('.');
  for (const { kind, hosts, brands } of tables) {
    for (let start = 0; start < labels.length - 1; start++) {
      const name = hosts.get(labels.slice(start).join('.'));
      if (name) return { kind, name };
    }
    const brand = brandOf(labels);
    const name = brand === undefined ? undefined : brands.get(brand);
    if (name) return { kind, name };
  }
  return undefined;
}

/** `google` for `google.de`, `www.google.co.uk` or `m.google.com`. */
function brandOf(labels: string[]): string | undefined {
  const rest = labels[0] === 'www' || labels[0] === 'm' ? labels.slice(1) : labels;
  const [brand, ...suffix] = rest;
  const countryDomain =
    suffix.length === 1 || (suffix.length === 2 && countrySecondLevels.has(suffix[0] ?? ''));
  return countryDomain ? brand : undefined;
}

/**
 * True when `host` is one of `siteHosts` or a subdomain of one, ignoring a leading `www.`.
 *
 * @example
 * isOwnHost('www.shop.example', ['shop.example']);     // true
 * isOwnHost('checkout.shop.example', ['shop.example']); // true
 * isOwnHost('example', ['shop.example']);               // false
 */
export function isOwnHost(host: string, siteHosts: readonly string[]): boolean {
  const bare = withoutWww(host);
  return siteHosts.some((siteHost) => {
    const site = withoutWww(siteHost.toLowerCase());
    return bare === site || bare.endsWith(`.${site}`);
  });
}

const withoutWww = (host: string): string => (host.startsWith('www.') ? host.slice(4) : host);
