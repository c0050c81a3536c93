import { hostAllowed, parseHttpUrl } from '../permissions/network-permission.js';

/**
 * Whether a plugin may fetch a URL, and if not, why (the reason names the host).
 *
 * @example
 * const access = checkNetworkAccess(url, plugin.permissions?.network ?? [], config);
 * if (!access.allowed) throw new Error(access.reason);
 */
export type NetworkAccess = { allowed: true; url: URL } | { allowed: false; reason: string };

/**
 * Checks a URL against a plugin's `permissions.network` with the host's own rules
 * ({@link hostAllowed}), and says why when it is refused.
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
  const url = parseHttpUrl(target);
  if (!url) {
    return {
      allowed: false,
      reason: `ctx.fetch refused ${JSON.stringify(target)}: only http and https URLs`,
    };
  }
  if (hostAllowed(url, patterns, config)) return { allowed: true, url };
  const declared = patterns.length > 0 ? patterns.join(', ') : 'none declared';
  return {
    allowed: false,
    reason: `ctx.fetch refused ${url.hostname}: the host is not in the plugin's permissions.network (${declared})`,
  };
}
