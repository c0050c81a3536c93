/**
 * Whether a plugin may fetch a URL, and if not, why (the reason names the host).
 *
 * @example
 * const access = checkNetworkAccess(url, plugin.permissions?.network ?? [], config);
 * if (!access.allowed) throw new Error(access.reason);
 */
export type NetworkAccess = { allowed: true; url: URL } | { allowed: false; reason: string };

/**
 * Checks a URL against a plugin's `permissions.network`, with the rules the host applies
 * (anything else matches nothing):
 * - `api.crm.example`: that host, case-insensitive, on any port; `api.crm.example:8443` on that
 *   port only (IPv6 in brackets: `[::1]:8080`);
 * - `*.crm.example`: every subdomain, at any depth, but not `crm.example` itself; the suffix needs
 *   a dot, so `*.com` opens nothing;
 * - `config:<field>`: the host of the URL in that config field, on any port (dot paths:
 *   `config:endpoint.url`); a field that holds no http(s) URL opens nothing.
 * Only http and https URLs are ever allowed.
 *
 * @example
 * checkNetworkAccess('https://hooks.acme.example/uspa', ['config:url'], {
 *   url: 'https://hooks.acme.example/in',
 * }); // { allowed: true, url: URL }
 * checkNetworkAccess('https://evil.example/', ['*.acme.example'], {});
 * // { allowed: false, reason: "ctx.fetch refused evil.example: the host is not in … (*.acme.example)" }
 */
export function checkNetworkAccess(
  target: string,
  patterns: readonly string[],
  config: Readonly<Record<string, unknown>>,
): NetworkAccess {
  const url = httpUrl(target);
  if (!url) {
    return {
      allowed: false,
      reason: `ctx.fetch refused ${JSON.stringify(target)}: only http and https URLs`,
    };
  }
  if (patterns.some((pattern) => matches(url, pattern, config))) return { allowed: true, url };
  const declared = patterns.length > 0 ? patterns.join(', ') : 'none declared';
  return {
    allowed: false,
    reason: `ctx.fetch refused ${url.hostname}: the host is not in the plugin's permissions.network (${declared})`,
  };
}

/** The URL if it is an http(s) one. */
export function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function matches(url: URL, pattern: string, config: Readonly<Record<string, unknown>>): boolean {
  const trimmed = pattern.trim().toLowerCase();
  if (trimmed.startsWith('config:')) {
    const value = configValue(config, pattern.trim().slice('config:'.length));
    const configured = typeof value === 'string' ? httpUrl(value) : undefined;
    return configured !== undefined && configured.hostname === url.hostname;
  }
  if (trimmed.startsWith('*.')) {
    const suffix = hostPattern(trimmed.slice(2));
    return (
      suffix !== undefined &&
      suffix.port === undefined &&
      suffix.hostname.includes('.') &&
      url.hostname.endsWith(`.${suffix.hostname}`)
    );
  }
  const exact = hostPattern(trimmed);
  if (exact === undefined || exact.hostname !== url.hostname) return false;
  return exact.port === undefined || exact.port === effectivePort(url);
}

/** `host` or `host:port`, normalised as URLs normalise hosts (IDN, IPv4 forms). */
function hostPattern(pattern: string): { hostname: string; port?: number } | undefined {
  if (pattern === '' || /[/?#@\s*]/.test(pattern)) return undefined;
  const port = /:(\d{1,5})$/.exec(pattern)?.[1];
  const host = port === undefined ? pattern : pattern.slice(0, -port.length - 1);
  // An IPv6 address without brackets has colons, but no port that could be told apart.
  if (host.includes(':') && !host.startsWith('[')) return undefined;
  try {
    const { hostname } = new URL(`http://${host}`);
    return port === undefined ? { hostname } : { hostname, port: Number(port) };
  } catch {
    return undefined;
  }
}

const effectivePort = (url: URL): number =>
  url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;

/** `a.b` in the config, through own properties only (no `__proto__`, no inherited keys). */
function configValue(config: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = config;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
