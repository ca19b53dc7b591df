/**
 * Canonical URL form: lowercase scheme and host, no default port, no
 * fragment, no click-tracking parameters (config/rules/url-params.json).
 * The record id derives from it, so one article keeps one id however it was
 * linked. Path and remaining parameters are kept as they are (they can be
 * case-sensitive and meaningful).
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

/** The canonical form of an absolute http(s) URL; other values come back unchanged. */
export function canonicalizeUrl(value: string, rules: UrlRules): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return value;
  url.hash = ''; // WHATWG URL already lowercases the host and drops default ports
  for (const name of [...new Set(url.searchParams.keys())]) if (rules.isTracking(name)) url.searchParams.delete(name);
  if (url.search === '?') url.search = '';
  return url.href;
}
