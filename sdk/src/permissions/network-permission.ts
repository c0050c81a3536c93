/**
 * Whether a plugin may call a URL, from its declared `permissions.network` and its config.
 *
 * Patterns (anything else matches nothing):
 * - `api.crm.example`: that host exactly, case-insensitive, on any port; `api.crm.example:8443`
 *   on that port only (IPv6 in brackets: `[::1]`);
 * - `*.crm.example`: every subdomain, not `crm.example` itself; the suffix needs a dot, so
 *   `*.com` cannot open a whole top-level domain;
 * - `config:<field>`: the host of the URL in that config field (dot paths: `config:endpoint.url`),
 *   so an operator who points the plugin at a server allows that server and no other.
 *
 * Only `http:` and `https:` URLs are ever allowed.
 *
 * @example
 * hostAllowed('https://eu.api.crm.example/v1', ['*.api.crm.example'], {}); // true
 * hostAllowed('https://hooks.example/x', ['config:webhook'], { webhook: 'https://hooks.example/in' }); // true
 */
export function hostAllowed(
  url: string | URL,
  patterns: readonly string[],
  config: Readonly<Record<string, unknown>>,
): boolean {
  const target = parseHttpUrl(url);
  if (target === undefined) return false;
  return patterns.some((pattern) => matches(target, pattern, config));
}

/** The URL if it is http(s), else undefined. */
export function parseHttpUrl(url: string | URL): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function matches(
  target: URL,
  pattern: unknown,
  config: Readonly<Record<string, unknown>>,
): boolean {
  if (typeof pattern !== 'string') return false;
  const trimmed = pattern.trim().toLowerCase();
  if (trimmed.startsWith('config:')) {
    const value = configValue(config, pattern.trim().slice(7));
    const configured = typeof value === 'string' ? parseHttpUrl(value) : undefined;
    return configured !== undefined && configured.hostname === target.hostname;
  }
  if (trimmed.startsWith('*.')) {
    const suffix = hostPattern(trimmed.slice(2));
    return (
      suffix !== undefined &&
      suffix.port === undefined &&
      suffix.hostname.includes('.') &&
      target.hostname.endsWith(`.${suffix.hostname}`)
    );
  }
  const exact = hostPattern(trimmed);
  if (exact === undefined || exact.hostname !== target.hostname) return false;
  return exact.port === undefined || exact.port === effectivePort(target);
}

/** A `host` or `host:port` pattern, normalised as URLs normalise hosts (IDN, IPv4 forms). */
function hostPattern(pattern: string): { hostname: string; port?: number } | undefined {
  if (pattern === '' || /[/?#@\s*]/.test(pattern)) return undefined;
  const port = /:(\d{1,5})$/.exec(pattern)?.[1];
  const host = port === undefined ? pattern : pattern.slice(0, -port.length - 1);
  // An unbracketed IPv6 address has colons but no port we could tell apart.
  if (host.includes(':') && !host.startsWith('[')) return undefined;
  try {
    const { hostname } = new URL(`http://${host}`);
    return port === undefined ? { hostname } : { hostname, port: Number(port) };
  } catch {
    return undefined;
  }
}

function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** `a.b.c` in the config, through own properties only (no `__proto__`, no inherited keys). */
function configValue(config: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = config;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
