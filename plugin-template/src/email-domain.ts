import type { TrackingEvent } from '@uspa/sdk/plugin';
import { parse } from 'tldts';

/** What the plugin adds to an event as `enrichment.emailDomain`. */
export interface EmailDomain {
  /** The part after `@`, lower case: `research.acme.co.uk`. */
  domain: string;
  /** The domain one level below its public suffix: `acme.co.uk`. */
  registrableDomain: string;
  /** True for providers anyone can sign up with (gmail.com, …). */
  freeMail: boolean;
  /** The registrable domain without its suffix (`acme`), or null for free mail. */
  company: string | null;
}

/** The configured lists, made ready for look-ups. */
export interface DomainLists {
  freeMail: ReadonlySet<string>;
  ignored: readonly string[];
}

const EMAIL = /^[^\s@]+@([^\s@]+)$/;
// Letters of any script (IDN addresses), digits and hyphens; no empty labels.
const HOSTNAME = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/**
 * The company side of an email address; undefined when it is not an address, its domain is
 * ignored, or the domain has no registrable part under a public suffix (`localhost`, an IP,
 * `corp.internal`).
 *
 * @example
 * emailDomain('Ada@Research.Acme.co.uk', lists);
 * // { domain: 'research.acme.co.uk', registrableDomain: 'acme.co.uk', freeMail: false, company: 'acme' }
 */
export function emailDomain(email: unknown, lists: DomainLists): EmailDomain | undefined {
  if (typeof email !== 'string') return undefined;
  const domain = EMAIL.exec(email.trim().toLowerCase())?.[1]?.replace(/\.$/, '');
  if (domain === undefined || !HOSTNAME.test(domain)) return undefined;
  if (lists.ignored.some((ignored) => domain === ignored || domain.endsWith(`.${ignored}`))) {
    return undefined;
  }
  // `extractHostname: false`: the input is a host already, and parsing it as a URL is wasted work.
  const parsed = parse(domain, { extractHostname: false });
  if (!parsed.domain || !parsed.domainWithoutSuffix || parsed.isIcann !== true) return undefined;
  const freeMail = lists.freeMail.has(domain) || lists.freeMail.has(parsed.domain);
  return {
    domain,
    registrableDomain: parsed.domain,
    freeMail,
    company: freeMail ? null : parsed.domainWithoutSuffix,
  };
}

/**
 * The email address of a call: an identify's `traits.email`, or on other calls the
 * `context.traits.email` that analytics.js sends with every call after an identify.
 *
 * @example
 * emailOf(identifyCall); // 'ada@acme.co.uk'
 */
export function emailOf(event: Pick<TrackingEvent, 'type' | 'traits' | 'context'>): unknown {
  return event.type === 'identify' ? event.traits.email : asRecord(event.context.traits)?.email;
}

/** The value as an object to read fields from, or undefined: event data is whatever was sent. */
export const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/**
 * The lists of a configuration, lower-cased, built once per configuration object: `enrich`
 * runs on every event and should not rebuild a Set each time.
 */
export function domainLists(config: {
  freeMailDomains: readonly string[];
  ignoreDomains: readonly string[];
}): DomainLists {
  let lists = built.get(config);
  if (!lists) {
    lists = {
      freeMail: new Set(config.freeMailDomains.map(normalise)),
      ignored: config.ignoreDomains.map(normalise),
    };
    built.set(config, lists);
  }
  return lists;
}

const built = new WeakMap<object, DomainLists>();

const normalise = (domain: string): string => domain.trim().toLowerCase().replace(/\.$/, '');
