import { isPublicIp, parseIp } from '@uspa/plugins';
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'undici';

/**
 * Whether a DNS answer is on the public internet, by the same ranges the geo plugin never
 * locates: loopback, private and shared networks, link-local (cloud metadata at
 * 169.254.169.254), documentation, multicast and reserved. IPv4-mapped IPv6 counts as IPv4.
 */
function isPublicAnswer(address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && isPublicIp(ip);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `dns.lookup` for sockets that may only reach the public internet: the check runs on the very
 * answer the socket connects to, so a name cannot pass a check and then resolve elsewhere
 * (DNS rebinding) and reach the services beside USPA.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((answer) => !isPublicAnswer(answer.address));
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
