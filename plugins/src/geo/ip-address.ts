import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An IP address in canonical text form, with the family the geo database is chosen by. */
export interface IpAddress {
  family: 4 | 6;
  address: string;
}

/**
 * Reads `context.ip` as senders actually write it: bare, `[v6]`, `v4:port`, `v6%zone`, or an
 * IPv4-mapped IPv6 address (what a dual-stack socket reports for an IPv4 client). Anything else
 * is not an address.
 *
 * @example
 * parseIp('::ffff:81.2.69.160'); // { family: 4, address: '81.2.69.160' }
 * parseIp('81.2.69.160:443');    // { family: 4, address: '81.2.69.160' }
 * parseIp('not an ip');          // undefined
 */
export function parseIp(value: unknown): IpAddress | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  text = text.replace(/%.*$/, '');
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort?.[1]) text = v4WithPort[1];
  if (isIPv4(text)) return { family: 4, address: text };
  if (!isIPv6(text)) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  if (mapped?.[1] && isIPv4(mapped[1])) return { family: 4, address: mapped[1] };
  return { family: 6, address: formatIpv6(ipv6Groups(text)) };
}

// Ranges that never locate a visitor: private networks, loopback, link-local, carrier-grade NAT,
// documentation, multicast and reserved blocks. Skipping them also keeps an internal proxy's
// address from being "located" wherever the database happens to put its block.
const notRoutable = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  notRoutable.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['2001:db8::', 32],
  ['ff00::', 8],
] as const) {
  notRoutable.addSubnet(network, prefix, 'ipv6');
}

/**
 * True for an address that can be located: not private, loopback, link-local, documentation,
 * multicast or reserved.
 *
 * @example
 * isPublicIp(parseIp('192.168.1.10')!); // false
 */
export function isPublicIp(ip: IpAddress): boolean {
  let routable = verdicts.get(ip.address);
  if (routable === undefined) {
    routable = !notRoutable.check(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6');
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(ip.address, routable);
  }
  return routable;
}

// A check builds a SocketAddress each time, a cost that shows in ingestion; visitors send many
// events from one address, so recent answers are kept (canonical text: one entry per address).
const MAX_VERDICTS = 10_000;
const verdicts = new Map<string, boolean>();

/**
 * The address with its host part zeroed: the last octet of IPv4 (a /24) and the last 80 bits of
 * IPv6 (a /48), the truncation analytics tools use so that an address no longer names a
 * household but still names its network, and so its city.
 *
 * @example
 * anonymizeIp(parseIp('81.2.69.160')!);            // { family: 4, address: '81.2.69.0' }
 * anonymizeIp(parseIp('2a00:1450:4009:81f::200e')!); // { family: 6, address: '2a00:1450:4009::' }
 */
export function anonymizeIp(ip: IpAddress): IpAddress {
  if (ip.family === 4) return { family: 4, address: ip.address.replace(/\.\d+$/, '.0') };
  const groups = ipv6Groups(ip.address).map((group, index) => (index < 3 ? group : 0));
  return { family: 6, address: formatIpv6(groups) };
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, an IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** Canonical text (RFC 5952): lower case, no leading zeros, the longest run of zeros as `::`. */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}
