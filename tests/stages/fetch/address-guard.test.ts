import type dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import { checkHost, guardedLookup, isPrivateAddress } from '../../../src/stages/fetch/address-guard.js';

describe('isPrivateAddress', () => {
  it.each([
    // IPv4: loopback, private, CGNAT, link-local, unspecified, multicast, reserved
    ['127.0.0.1', true], ['127.255.255.254', true], ['10.0.0.5', true], ['172.16.0.1', true], ['172.31.255.255', true],
    ['192.168.1.1', true], ['100.64.0.1', true], ['100.127.255.255', true], ['169.254.169.254', true], ['0.0.0.0', true],
    ['0.1.2.3', true], ['224.0.0.1', true], ['239.255.255.250', true], ['255.255.255.255', true],
    ['8.8.8.8', false], ['93.184.216.34', false], ['172.15.255.255', false], ['172.32.0.1', false], ['100.63.255.255', false],
    ['100.128.0.0', false], ['192.169.0.1', false], ['11.0.0.1', false],
  ])('v4 %s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  it.each([
    ['::1', true], ['::', true], ['[::1]', true], ['fc00::1', true], ['fd12:3456::1', true], ['fe80::1', true],
    ['fe80::1%eth0', true], ['febf::1', true], ['ff02::1', true], ['0:0:0:0:0:0:0:1', true],
    ['2001:4860:4860::8888', false], ['2606:4700::1111', false], ['fbff::1', false], ['fec0::1', true],
  ])('v6 %s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  it.each([
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['0:0:0:0:0:ffff:10.0.0.5', true], ['::ffff:a9fe:a9fe', true],
    ['[::ffff:192.168.0.1]', true], ['::ffff:8.8.8.8', false], ['::ffff:808:808', false],
  ])('IPv4-mapped %s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  it.each([
    // benchmarking 198.18.0.0/15 (RFC 2544), documentation and other IANA special-purpose IPv4 blocks
    ['198.18.0.1', true], ['198.19.255.255', true], ['198.17.255.255', false], ['198.20.0.0', false],
    ['192.0.2.1', true], ['198.51.100.7', true], ['203.0.113.9', true], ['192.0.0.8', true],
  ])('special-purpose v4 %s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  it.each([
    // NAT64 64:ff9b::/96 (RFC 6052) is judged by the IPv4 address it embeds
    ['64:ff9b::127.0.0.1', true], ['64:ff9b::7f00:1', true], ['64:ff9b::10.0.0.5', true], ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::198.18.0.1', true], ['64:ff9b::8.8.8.8', false], ['64:ff9b::5db8:d822', false],
    // 6to4 2002::/16 and IPv4-translated ::ffff:0:0:0/96 embed one too; ::a.b.c.d (IPv4-compatible) stays refused
    ['2002:7f00:1::1', true], ['2002:a00:5::1', true], ['2002:808:808::1', false], ['::ffff:0:127.0.0.1', true], ['::8.8.8.8', true],
    // local-use NAT64 64:ff9b:1::/48 (RFC 8215: where the IPv4 address sits is the operator's choice) and
    // non-routable IPv6 blocks (documentation, benchmarking, discard, ORCHID, Teredo) are refused
    ['64:ff9b:1::808:808', true], ['2001:db8::1', true], ['2001:2::1', true], ['100::1', true], ['2001:20::1', true], ['2001:0:4136:e378::1', true],
  ])('IPv6 with an embedded or special-purpose address %s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));

  it('is false for names and garbage', () => {
    for (const s of ['example.com', 'localhost', '', '1.2.3', '999.1.1.1']) expect(isPrivateAddress(s)).toBe(false);
  });
});

describe('checkHost', () => {
  const code = (host: string): string | undefined => {
    try {
      checkHost(host);
      return undefined;
    } catch (e) {
      return (e as NewscleanError).code;
    }
  };
  it('refuses localhost names and private literals, as URL hostnames spell them', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', '127.0.0.1', '[::1]', '10.1.2.3', new URL('http://0x7f.1/').hostname]) {
      expect(code(h), h).toBe('PRIVATE_NETWORK');
    }
  });
  it('lets public names and addresses through', () => {
    for (const h of ['example.com', 'localhost.example.com', '93.184.216.34', '[2606:4700::1111]']) expect(code(h), h).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  const fake = (addresses: dns.LookupAddress[]): typeof dns.lookup =>
    ((_h: string, _o: unknown, cb: (e: null, a: dns.LookupAddress[]) => void) => cb(null, addresses)) as unknown as typeof dns.lookup;
  const run = (addresses: dns.LookupAddress[], all: boolean): Promise<unknown> =>
    new Promise((resolve, reject) => {
      guardedLookup(fake(addresses))('news.example', { all }, (err, a, f) => (err ? reject(err) : resolve(all ? a : [a, f])));
    });

  it('answers with one address or all, as asked', async () => {
    const list = [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800::1', family: 6 }];
    await expect(run(list, false)).resolves.toEqual(['93.184.216.34', 4]);
    await expect(run(list, true)).resolves.toEqual(list);
  });
  it('refuses when any resolved address is private', async () => {
    const err = await run([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }], true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('PRIVATE_NETWORK');
    expect((err as NewscleanError).message).toContain('10.0.0.5');
  });
  it('judges a DNS64 answer by the IPv4 address it embeds', async () => {
    await expect(run([{ address: '64:ff9b::5db8:d822', family: 6 }], false)).resolves.toEqual(['64:ff9b::5db8:d822', 6]);
    const err = await run([{ address: '64:ff9b::a9fe:a9fe', family: 6 }], false).catch((e: unknown) => e);
    expect((err as NewscleanError).code).toBe('PRIVATE_NETWORK');
    expect((err as NewscleanError).message).toBe(
      'refusing a private-network address: news.example (64:ff9b::a9fe:a9fe) (allow with --allow-private-networks or fetch.allowPrivateNetworks)',
    );
  });
});
