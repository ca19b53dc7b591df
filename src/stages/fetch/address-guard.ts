import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NewscleanError } from '../../shared/errors.js';
import { hostnameOf } from '../../shared/url.js';

/**
 * The only ipaddr.js ranges (IANA special-purpose registries) a crawler may
 * reach unless private networks are allowed: SSRF protection, a public page
 * must not make us fetch the intranet. Every other range is refused —
 * loopback, private, CGNAT, link-local, unspecified, multicast, broadcast,
 * benchmarking (198.18.0.0/15), documentation, reserved, unique local,
 * Teredo, ORCHID… and whatever range a later ipaddr.js learns to name.
 */
const PUBLIC_RANGES: ReadonlySet<string> = new Set(['unicast', 'as112', 'as112v6', 'amt']);

/**
 * IPv6 ranges that carry an IPv4 address, judged by that address: a
 * connection there ends at the IPv4 host (through a translator or relay).
 * With the 16-bit group where the IPv4 address starts.
 */
const CARRIES_V4: readonly (readonly [net: [ipaddr.IPv6, number], group: number])[] = [
  [ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), 6], // IPv4-mapped ::ffff:a.b.c.d
  [ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), 6], // IPv4-translated (RFC 6145)
  // NAT64 well-known prefix (RFC 6052): DNS64 answers for IPv4-only sites on IPv6-only networks, so
  // public ones must pass. The local-use 64:ff9b:1::/48 (RFC 8215) is not here: the operator picks
  // where its IPv4 address sits, so it stays refused (range 'rfc6052').
  [ipaddr.IPv6.parseCIDR('64:ff9b::/96'), 6],
  [ipaddr.IPv6.parseCIDR('2002::/16'), 1], // 6to4 2002:aabb:ccdd::/48 (RFC 3056)
];

/** Deprecated IPv4-compatible ::a.b.c.d (:: and ::1 included): refused whatever it embeds. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/** The IPv4 address an IPv6 address carries (see CARRIES_V4), or null. */
function embeddedV4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const group = CARRIES_V4.find(([net]) => v6.match(net))?.[1];
  if (group === undefined) return null;
  const hi = v6.parts[group]!, lo = v6.parts[group + 1]!;
  return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
}

function isPublic(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    const v4 = embeddedV4(v6);
    if (v4) return isPublic(v4);
    if (v6.match(IPV4_COMPATIBLE)) return false;
  }
  return PUBLIC_RANGES.has(addr.range());
}

/** True for an IP literal in a refused range; false for public addresses and non-IPs. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets, zone id (fe80::1%eth0)
  // Only strict literals, as URL hostnames and DNS answers spell them: ipaddr.js would also read "1.2.3" as 1.2.0.3.
  const family = isIP(bare);
  if (family === 0) return false;
  // IPv6 in the URL parser's hex form: ipaddr.js reads the dotted ::a.b.c.d (IPv4-compatible) as ::ffff:a.b.c.d.
  return !isPublic(ipaddr.parse(family === 6 ? hostnameOf(`[${bare}]`).slice(1, -1) : bare));
}

/** `localhost` and its subdomains (RFC 6761: always loopback), trailing dot ignored. */
function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

/**
 * Throw PRIVATE_NETWORK when a URL host is, literally, a private address or
 * `localhost`. Names are checked again after DNS (see guardedLookup).
 */
export function checkHost(hostname: string): void {
  if (isLocalhostName(hostname) || isPrivateAddress(hostname)) throw privateNetwork(hostname);
}

export function privateNetwork(host: string, address?: string): NewscleanError {
  const where = address && address !== host ? `${host} (${address})` : host;
  return new NewscleanError('PRIVATE_NETWORK', `refusing a private-network address: ${where} (allow with --allow-private-networks or fetch.allowPrivateNetworks)`);
}

type LookupAll = (hostname: string, options: dns.LookupAllOptions, cb: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/**
 * A socket `lookup` that resolves every address of a name and fails with
 * PRIVATE_NETWORK if any is private, so a public-looking name pointing at
 * 127.0.0.1 (DNS rebinding) is refused before a connection is made.
 * Answers in the shape the caller asked for (`all` or a single address).
 */
export function guardedLookup(lookup: typeof dns.lookup = dns.lookup): LookupFunction {
  const lookupAll = lookup as unknown as LookupAll;
  return (hostname, options, callback) => {
    lookupAll(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses ?? [];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(privateNetwork(hostname, bad.address) as unknown as NodeJS.ErrnoException, '', 0);
      if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
