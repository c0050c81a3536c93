/**
 * The page a visitor is on, parsed once per resolution so each rule's pattern is a single regular
 * expression test. The query string and fragment are dropped: campaign parameters must not change
 * which content a page gets.
 */
export interface PageAddress {
  /** Decoded path, e.g. `/blog/café`. */
  path: string;
  /** `scheme://host[:port]` + decoded path, lower-case scheme and host; absent for a bare path. */
  full?: string;
}

/** Tests whether a page matches one rule's URL pattern. */
export type UrlMatcher = (page: PageAddress | undefined) => boolean;

/**
 * Parses the page URL a browser reports (`location.href`); a bare path (`/pricing?x=1`) is accepted
 * too. Anything else gives `undefined`, on which only rules without a pattern apply.
 *
 * @example
 * pageAddressOf('https://Shop.example/Blog/a%20b?utm_source=x');
 * // { path: '/Blog/a b', full: 'https://shop.example/Blog/a b' }
 */
export function pageAddressOf(url: string | undefined): PageAddress | undefined {
  if (url === undefined || url === '') return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) {
    return { path: decodePath(url.split(/[?#]/, 1)[0]!) };
  }
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const path = decodePath(parsed.pathname);
  return { path, full: `${parsed.protocol}//${parsed.host}${path}` };
}

/**
 * Compiles a rule's URL pattern once. `*` matches any run of characters, `/` included, and is the
 * only wildcard; everything else is literal and the whole path (or URL) must match. A pattern that
 * starts with `http` is matched against the full URL (scheme and host compared case-insensitively),
 * any other against the path. A narrow matcher on purpose: no `?`, character classes or `**`.
 *
 * @example
 * compileUrlPattern('/blog/*')(pageAddressOf('https://x.example/blog/2026/spring')); // true
 * compileUrlPattern('/pricing*')(pageAddressOf('/pricing/teams?plan=pro')); // true
 * compileUrlPattern('https://*.example.com/sale/*')(pageAddressOf('https://eu.example.com/sale/x')); // true
 */
export function compileUrlPattern(pattern: string | undefined): UrlMatcher {
  if (pattern === undefined) return () => true;
  if (pattern.startsWith('http')) {
    const expression = globToRegExp(lowerCaseOrigin(stripQuery(pattern)));
    return (page) => page?.full !== undefined && expression.test(page.full);
  }
  const expression = globToRegExp(decodePath(stripQuery(pattern)));
  return (page) => page !== undefined && expression.test(page.path);
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}

/** An administrator may paste a URL with its query: the query is ignored on both sides. */
function stripQuery(pattern: string): string {
  return pattern.split(/[?#]/, 1)[0]!;
}

function lowerCaseOrigin(pattern: string): string {
  const schemeEnd = pattern.indexOf('://');
  if (schemeEnd < 0) return pattern;
  const pathStart = pattern.indexOf('/', schemeEnd + 3);
  // A bare origin means its home page, as the page's own URL always has at least `/`.
  if (pathStart < 0) return `${pattern.toLowerCase()}/`;
  return pattern.slice(0, pathStart).toLowerCase() + decodePath(pattern.slice(pathStart));
}

function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
