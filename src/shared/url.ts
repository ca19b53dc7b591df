/**
 * URLs: parsing (WHATWG URL, never throwing unless the name says so), links
 * resolved against a base, host keys, site matching and the canonical form.
 * Every layer asks these questions here, so a URL means the same thing to the
 * fetcher, the follower, the cleaner and the exporter.
 *
 * The tracking-parameter list is data (config/rules/url-params.json): it is
 * read and validated in src/stages/normalize/canonical-url.ts; what it means
 * (compileTrackingRules, canonicalizeUrl) is here.
 */
import { NewscleanError } from './errors.js';

/** What hostOf gives for a string that is not an absolute URL. */
export const INVALID_HOST = '(invalid)';

/** http: or https: (the only schemes newsclean fetches, follows or exports links of). */
export const isHttp = (url: URL): boolean => url.protocol === 'http:' || url.protocol === 'https:';

/** `value` parsed as a URL (resolved against `base` when given), any scheme; null when it does not parse. */
export function parseUrl(value: string, base?: string | URL | null): URL | null {
  try {
    return new URL(value, base ?? undefined);
  } catch {
    return null;
  }
}

/** parseUrl, and null unless the result is http(s). */
export function parseHttpUrl(value: string, base?: string | URL | null): URL | null {
  const url = parseUrl(value, base);
  return url && isHttp(url) ? url : null;
}

/**
 * A link as an absolute http(s) URL without its fragment, resolved against
 * `base`; null for other schemes and for what does not parse. The href is
 * taken as given (callers trim or skip "" and "#…" as they need).
 */
export function resolveLink(href: string, base?: string | URL | null): string | null {
  const url = parseHttpUrl(href, base);
  if (!url) return null;
  url.hash = '';
  return url.href;
}

/** Host key: lowercased hostname, with the port when it is not the scheme's default. Throws INVALID_URL for a string that is not an absolute URL. */
export function hostKey(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) throw new NewscleanError('INVALID_URL', `Not an absolute URL: ${url}`);
  // URL.host is already lowercased and drops default ports.
  return parsed.host;
}

/** hostKey, or '(invalid)' for a string that is not an absolute URL (for logs and per-host counts). */
export function hostOf(url: string): string {
  return parseUrl(url)?.host ?? INVALID_HOST;
}

/**
 * Hostname of a host as written in a config (a bare host, host:port, an IDN
 * or a full URL) in the URL parser's form: lowercase, punycode, IPv6 in
 * brackets and compressed. The trimmed text lowercased when it does not parse.
 */
export function hostnameOf(host: string): string {
  const value = host.trim();
  const url = parseHttpUrl(value.includes('://') ? value : `http://${value}`);
  return url ? url.hostname : value.toLowerCase();
}

/** "www.Example.com." → "example.com": the same site, for following links. */
export function siteHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
}

/**
 * Whether a URL belongs to a site: its hostname equals one of the site's
 * hosts (as hostnameOf reads them), ignoring case, a trailing dot and a
 * leading www. on either side. Ports are not compared.
 */
export function isOnSite(url: URL, siteHosts: readonly string[]): boolean {
  const host = siteHostname(url.hostname);
  return siteHosts.some((h) => siteHostname(hostnameOf(h)) === host);
}

/** Which query parameters are click tracking (utm_source, fbclid…). */
export interface UrlRules {
  isTracking: (name: string) => boolean;
}

/** Tracking-parameter rules from a list of names; a trailing * makes a prefix ('utm_*'). Case-insensitive. */
export function compileTrackingRules(tracking: readonly string[]): UrlRules {
  const exact = new Set(tracking.filter((p) => !p.endsWith('*')).map((p) => p.toLowerCase()));
  const prefixes = tracking.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1).toLowerCase());
  return {
    isTracking: (name) => {
      const n = name.toLowerCase();
      return exact.has(n) || prefixes.some((p) => n.startsWith(p));
    },
  };
}

/**
 * Canonical URL form: lowercase scheme and host, no default port, no
 * fragment, no click-tracking parameters, escapes of unreserved characters
 * decoded and other escapes in uppercase hex (RFC 3986 §6.2.2.1-2). The
 * record id derives from it, so one article keeps one id however it was
 * linked. Path and remaining parameters are otherwise kept byte for byte
 * (they can be case-sensitive and meaningful).
 *
 * Absolute http(s) URLs only; other values come back unchanged.
 * The query is handled as the raw string: re-serializing it (URLSearchParams)
 * would turn %20 into + and change bytes the server may care about.
 */
export function canonicalizeUrl(value: string, rules: UrlRules): string {
  const url = parseHttpUrl(value);
  if (!url) return value;
  // WHATWG URL already lowercases scheme and host, drops the default port and resolves dot segments.
  const query = url.search.slice(1);
  url.hash = '';
  url.search = '';
  const kept = query.split('&').filter((pair) => pair !== '' && !rules.isTracking(paramName(pair)));
  const head = url.href.slice(0, url.href.length - url.pathname.length);
  return head + normalizeEscapes(url.pathname) + (kept.length > 0 ? `?${kept.map(normalizeEscapes).join('&')}` : '');
}

/** A query pair's name, decoded as a form would send it ('+' is a space); the raw name when it is malformed. */
function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * RFC 3986 §6.2.2: escapes of unreserved characters decoded (%41 → A, %7E → ~),
 * the hex digits of every other escape uppercased (%2f → %2F). Reserved
 * characters stay escaped: %2F in a path is not a /.
 */
export function normalizeEscapes(part: string): string {
  return part.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}
