import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { NewscleanError } from '../../shared/errors.js';

/**
 * Addresses a crawler must not reach unless private networks are allowed:
 * loopback, private, CGNAT, link-local, unspecified, multicast and reserved
 * ranges (SSRF protection: a public page must not make us fetch the intranet).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255 broadcast included
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified ::, loopback ::1, deprecated IPv4-compatible ::a.b.c.d
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d in any spelling), or null. */
function unmapV4(ip: string): string | null {
  // The URL parser canonicalizes IPv6 (zeros compressed, embedded IPv4 as hex): ::ffff:7f00:1.
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return null;
  const hi = parseInt(m[1]!, 16), lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** True for an IP literal in a blocked range; false for public addresses and non-IPs. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets, zone id (fe80::1%eth0)
  const family = isIP(bare);
  if (family === 4) return BLOCKED.check(bare, 'ipv4');
  if (family !== 6) return false;
  const v4 = unmapV4(bare);
  return v4 !== null ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(bare, 'ipv6');
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
