import { isOwnHost, knownSite } from './host-match.js';
import {
  paidClickIds,
  socialNetworks,
  socialSourceAliases,
  type ClickIdParam,
} from './known-sources.js';

/** How a visitor came: the channel groups reports and segments use. */
export type Channel =
  | 'paid'
  | 'email'
  | 'affiliate'
  | 'social'
  | 'search'
  | 'referral'
  | 'direct'
  /** Tagged with UTM parameters whose medium says nothing the rules know. */
  | 'other';

/** Written to `enrichment.campaign`. */
export interface Campaign {
  /** Lower-cased `utm_source`, or inferred from a click id or referrer (`google`, `facebook`). */
  source?: string;
  /** Lower-cased `utm_medium`, or inferred (`cpc`, `organic`, `social`, `email`, `referral`). */
  medium?: string;
  name?: string;
  term?: string;
  content?: string;
  clickId?: { param: ClickIdParam; value: string };
  channel: Channel;
  /** The referring host, only when it is another site (not this one or an internal host). */
  referrerHost?: string;
}

/** What the event says about where the visitor came from, already read out of it. */
export interface VisitSignals {
  utm: { source?: string; medium?: string; name?: string; term?: string; content?: string };
  clickId?: { param: ClickIdParam; value: string };
  referrerHost?: string;
  /** The page's own host plus the configured internal hosts. */
  siteHosts: string[];
}

const paidMedium = /^(?:cpc|ppc|cpm|cpv|cpa|display|banner|retargeting|remarketing)$|^paid/;
const emailMedium = /^(?:e-?mail|e_mail|newsletter)$/;
const affiliateMedium = /^(?:affiliates?|partners?)$/;
const socialMedium = /^(?:social|social[-_ ]?(?:media|network)|sm|organic[-_ ]?social)$/;
const clickIdSource: Record<ClickIdParam, string> = {
  gclid: 'google',
  gbraid: 'google',
  wbraid: 'google',
  msclkid: 'bing',
  fbclid: 'facebook',
};

/**
 * Decides the channel. A tagged link (UTM parameters or an ad click id) is classified by its tags
 * alone, as analytics tools do: the tags are what the marketer chose. An untagged visit is
 * classified by its referrer; with no outside referrer it is direct.
 *
 * @example
 * attribute({ utm: { source: 'newsletter', medium: 'email' }, siteHosts: ['shop.example'] });
 * // { source: 'newsletter', medium: 'email', channel: 'email' }
 */
export function attribute(signals: VisitSignals): Campaign {
  const { utm, clickId } = signals;
  const external =
    signals.referrerHost && !isOwnHost(signals.referrerHost, signals.siteHosts)
      ? signals.referrerHost
      : undefined;
  const tagged = Object.values(utm).some(Boolean) || clickId !== undefined;
  const campaign: Campaign = tagged ? fromTags(signals) : fromReferrer(external);
  if (clickId) campaign.clickId = clickId;
  if (external) campaign.referrerHost = external;
  return campaign;
}

function fromTags({ utm, clickId }: VisitSignals): Campaign {
  const source = utm.source ?? (clickId && clickIdSource[clickId.param]);
  const paidClick = clickId && (paidClickIds as readonly string[]).includes(clickId.param);
  const medium = utm.medium ?? (paidClick ? 'cpc' : undefined);
  const campaign: Campaign = {
    ...(source ? { source } : {}),
    ...(medium ? { medium } : {}),
    ...(utm.name ? { name: utm.name } : {}),
    ...(utm.term ? { term: utm.term } : {}),
    ...(utm.content ? { content: utm.content } : {}),
    channel: 'other',
  };
  const m = medium ?? '';
  if (paidMedium.test(m) || paidClick) campaign.channel = 'paid';
  else if (emailMedium.test(m)) campaign.channel = 'email';
  else if (affiliateMedium.test(m)) campaign.channel = 'affiliate';
  else if (socialMedium.test(m) || isSocialSource(source)) campaign.channel = 'social';
  else if (m === 'organic') campaign.channel = 'search';
  else if (m === 'referral') campaign.channel = 'referral';
  return campaign;
}

function fromReferrer(host: string | undefined): Campaign {
  if (!host) return { channel: 'direct' };
  const site = knownSite(host);
  if (!site) return { source: host, medium: 'referral', channel: 'referral' };
  const medium = { search: 'organic', social: 'social', email: 'email' }[site.kind];
  return { source: site.name, medium, channel: site.kind };
}

function isSocialSource(source: string | undefined): boolean {
  if (!source) return false;
  return (
    Object.hasOwn(socialNetworks, source) ||
    Object.hasOwn(socialSourceAliases, source) ||
    knownSite(source)?.kind === 'social'
  );
}
