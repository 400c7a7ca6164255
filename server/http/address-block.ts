import { isIPv4, isIPv6 } from 'node:net';

/** An IPv6 address as its eight 16-bit groups, `::` expanded and an embedded IPv4 tail converted. */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as the IPv4 address it carries, else null. */
function mappedIpv4(groups: number[]): string | null {
  if (groups.slice(0, 5).some((group) => group !== 0) || groups[5] !== 0xffff) return null;
  return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
}

/**
 * The network block an address belongs to, the unit one household or one small office usually
 * holds: the IPv4 /24 (`192.0.2.0/24`) or the IPv6 /64 (`2001:db8:0:1::/64`). Anything else (an
 * unknown address) is its own block.
 */
export function addressBlock(address: string): string {
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  const v4 = mappedIpv4(groups);
  if (v4) return addressBlock(v4);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * Whom a per-address rate limit counts: an IPv4 address itself, but an IPv6 address's /64, since
 * one subscriber gets a whole /64 and could otherwise take a fresh address for every request.
 */
export function rateLimitSubject(address: string): string {
  if (!isIPv6(address)) return address;
  const v4 = mappedIpv4(ipv6Groups(address));
  return v4 ?? addressBlock(address);
}
