/**
 * Who sends visitors, by referrer host and by `utm_source`. Edit here, not in the classifier.
 *
 * A host entry matches that host and its subdomains (`facebook.com` matches `l.facebook.com`).
 * An entry ending in `.*` matches the name under any country domain, bare or with `www.`/`m.`
 * (`google.*` matches `google.de` and `www.google.co.uk`, but not `docs.google.com`).
 * The key is the source name written to `enrichment.campaign.source` when the link was not tagged.
 */
export const searchEngines: Record<string, readonly string[]> = {
  google: ['google.*'],
  bing: ['bing.com'],
  yahoo: ['yahoo.*', 'search.yahoo.com'],
  duckduckgo: ['duckduckgo.com'],
  baidu: ['baidu.com'],
  yandex: ['yandex.*', 'ya.ru'],
  ecosia: ['ecosia.org'],
  qwant: ['qwant.com'],
  startpage: ['startpage.com'],
  brave: ['search.brave.com'],
  naver: ['naver.com'],
  seznam: ['seznam.cz'],
  sogou: ['sogou.com'],
  so: ['so.com'],
  ask: ['ask.com'],
  aol: ['search.aol.com'],
  kagi: ['kagi.com'],
};

export const socialNetworks: Record<string, readonly string[]> = {
  facebook: ['facebook.com', 'fb.com', 'fb.me', 'messenger.com'],
  instagram: ['instagram.com'],
  x: ['x.com', 'twitter.com', 't.co'],
  linkedin: ['linkedin.com', 'lnkd.in'],
  pinterest: ['pinterest.*', 'pin.it'],
  reddit: ['reddit.com', 'redd.it'],
  tiktok: ['tiktok.com'],
  youtube: ['youtube.com', 'youtu.be'],
  snapchat: ['snapchat.com'],
  threads: ['threads.net', 'threads.com'],
  bluesky: ['bsky.app'],
  mastodon: ['mastodon.social'],
  tumblr: ['tumblr.com'],
  whatsapp: ['whatsapp.com', 'wa.me'],
  telegram: ['telegram.org', 't.me'],
  vk: ['vk.com'],
  weibo: ['weibo.com'],
  quora: ['quora.com'],
  discord: ['discord.com', 'discord.gg'],
};

/** Webmail sites: a visitor who arrives from one clicked a link in an email. */
export const webmailSites: Record<string, readonly string[]> = {
  gmail: ['mail.google.com'],
  outlook: ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'],
  'yahoo-mail': ['mail.yahoo.com'],
  proton: ['mail.proton.me'],
};

/** `utm_source` values, beyond the keys above, that name a social network. */
export const socialSourceAliases: Record<string, string> = {
  fb: 'facebook',
  ig: 'instagram',
  twitter: 'x',
  tw: 'x',
  li: 'linkedin',
  yt: 'youtube',
};

/**
 * Click ids an ad network appends to the landing URL. `fbclid` is not here as paid: Facebook adds
 * it to every outbound link, organic posts included, so it marks a Facebook click, not an ad.
 */
export const paidClickIds = ['gclid', 'gbraid', 'wbraid', 'msclkid'] as const;
export const clickIds = [...paidClickIds, 'fbclid'] as const;
export type ClickIdParam = (typeof clickIds)[number];

/** Second-level labels of country domains such as `co.uk`, `com.au`, `or.jp`. */
export const countrySecondLevels = new Set([
  'co',
  'com',
  'org',
  'net',
  'ac',
  'gov',
  'edu',
  'ne',
  'or',
]);
