import { definePlugin, withEnrichment } from '@uspa/sdk/plugin';
import { asRecord, domainLists, emailDomain, emailOf } from './email-domain.js';
import { DEFAULT_FREE_MAIL_DOMAINS } from './free-mail-domains.js';

export type { EmailDomain } from './email-domain.js';

/** The configuration the plugin receives, after USPA has applied the schema's defaults. */
export interface EmailDomainConfig {
  freeMailDomains: string[];
  ignoreDomains: string[];
}

/** How long an event id is remembered, so a redelivered event is not counted twice. */
const SEEN_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Company email domains for B2B: the email of an identify (or `context.traits.email` on other
 * calls) → `enrichment.emailDomain = { domain, registrableDomain, freeMail, company }`. Its
 * consumer counts identifies per company in the plugin's store.
 *
 * @example
 * // in:  identify, traits.email = 'ada@research.acme.co.uk'
 * // out: enrichment.emailDomain = { domain: 'research.acme.co.uk', registrableDomain: 'acme.co.uk',
 * //                                 freeMail: false, company: 'acme' }
 */
export default definePlugin<EmailDomainConfig>({
  // Name and version must be those of package.json: USPA refuses a package where they differ.
  name: 'uspa-plugin-email-domain',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  description: 'The company behind an email address: domain, registrable domain, free mail or not.',
  author: 'USPA contributors',
  configSchema: {
    type: 'object',
    properties: {
      freeMailDomains: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: DEFAULT_FREE_MAIL_DOMAINS,
        description: 'Providers anyone can sign up with; replaces the built-in list.',
      },
      ignoreDomains: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: [],
        description: 'Domains (with their subdomains) to leave alone, e.g. your own or test ones.',
      },
    },
    additionalProperties: false,
  },
  // No network: everything comes from the address and the public suffix list bundled with tldts.
  // `fields`: enrich sees only these of each event (no user ids, no other traits), and only they
  // are copied into the plugin's sandbox, which keeps the plugin cheap on the ingestion path.
  permissions: { events: ['Identified'], fields: ['type', 'traits.email', 'context.traits.email'] },

  // Inline in ingestion: pure and fast, so a replay gives the same result.
  enrich(event, { config }) {
    const found = emailDomain(emailOf(event), domainLists(config));
    if (!found) return event;
    // Cheaper than spreading `{ ...event.enrichment, emailDomain: found }` (see its docs).
    return withEnrichment(event, 'emailDomain', found);
  },

  // After the event is stored, at least once and in order: the place for side effects.
  async onEvent(event, { config, store, metrics, log }) {
    // Derived again rather than read from `data.enrichment`: an event whose enrich call failed
    // was stored without it. The result is the same either way.
    const found = emailDomain(asRecord(event.data.traits)?.email, domainLists(config));
    if (!found || found.freeMail) return;
    // At least once means a retry can bring the same event again: count each id once.
    const seen = `seen:${event.id}`;
    if (await store.get(seen)) return;
    const identifies = await store.increment(`identifies:${found.registrableDomain}`);
    await store.set(seen, true, { ttlSeconds: SEEN_TTL_SECONDS });
    metrics.increment('company_identified');
    if (identifies === 1) {
      log.info('first identify from a company', { company: found.registrableDomain });
    }
  },
});
