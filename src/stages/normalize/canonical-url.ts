/**
 * Canonical URL form: lowercase scheme and host, no default port, no
 * fragment, no click-tracking parameters (config/rules/url-params.json),
 * escapes of unreserved characters decoded and other escapes in uppercase hex
 * (RFC 3986 §6.2.2.1-2). The record id derives from it, so one article keeps
 * one id however it was linked. Path and remaining parameters are otherwise
 * kept byte for byte (they can be case-sensitive and meaningful).
 */
import { z } from 'zod';
import { parseRuleData, readJsonFile, ruleFilePath } from '../../config/rule-files.js';

const FileSchema = z.object({ $comment: z.string().optional(), tracking: z.array(z.string()) });

export interface UrlRules {
  isTracking: (name: string) => boolean;
}

export function compileUrlRules(data: unknown, source = 'url-params'): UrlRules {
  const { tracking } = parseRuleData(FileSchema, data, source);
  const exact = new Set(tracking.filter((p) => !p.endsWith('*')).map((p) => p.toLowerCase()));
  const prefixes = tracking.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1).toLowerCase());
  return {
    isTracking: (name) => {
      const n = name.toLowerCase();
      return exact.has(n) || prefixes.some((p) => n.startsWith(p));
    },
  };
}

export function loadUrlRules(path: string | URL = ruleFilePath('', 'url-params.json')): UrlRules {
  return compileUrlRules(readJsonFile(path), String(path));
}

/**
 * The canonical form of an absolute http(s) URL; other values come back unchanged.
 * The query is handled as the raw string: re-serializing it (URLSearchParams)
 * would turn %20 into + and change bytes the server may care about.
 */
export function canonicalizeUrl(value: string, rules: UrlRules): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return value;
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
