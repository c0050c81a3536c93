import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/**
 * Addresses a plugin's host name must not resolve to: loopback, private and shared networks,
 * link-local (cloud metadata at 169.254.169.254), multicast and reserved ranges. BlockList
 * checks an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) against the IPv4 ranges. Without this, a declared name whose DNS answer changes (rebinding) would reach the
 * services beside USPA.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an IP address is on the public internet.
 *
 * @example
 * isPublicAddress('93.184.215.14'); // true
 * isPublicAddress('169.254.169.254'); // false
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `dns.lookup` for sockets that may only reach the public internet: the check runs on the very
 * answer the socket connects to, so a name cannot pass a check and then resolve elsewhere.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((answer) => !isPublicAddress(answer.address));
    if (refused) {
      const reason = new Error(
        `${hostname} resolves to ${refused.address}, which is not a public address (an operator may allow private networks)`,
      );
      return callback(reason, []);
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    return first ? callback(null, first.address, first.family) : callback(null, [], 4);
  });
}

/**
 * A connection pool whose sockets only reach public addresses by host name. Literal IP
 * addresses are not looked up: a plugin reaches one only when it is declared word for word (or
 * set by the operator in the plugin's config), which is an approval of its own.
 *
 * @example
 * await fetch(url, { dispatcher: publicOnlyDispatcher() });
 */
export function publicOnlyDispatcher(): Agent {
  return new Agent({ connect: { lookup: publicOnlyLookup } });
}
