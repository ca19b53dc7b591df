/**
 * Which discovered links a crawl follows: same site, http(s), allowed by the
 * site's allow/deny patterns, not too deep, and not an obvious non-page
 * (image, media, document, archive, asset, feed). Plus the `--since` filter.
 */
import { NewscleanError } from '../../../shared/errors.js';
import { isOnSite, parseHttpUrl, resolveLink } from '../../../shared/url.js';
import { latestInstant } from './feed-dates.js';

export interface FollowRules {
  allow: RegExp[];
  deny: RegExp[];
  maxDepth: number;
}

/** Path extensions that are never an article page. Feeds and sitemaps (.xml, .rss…) are read by discovery, not crawled as pages. */
const NON_PAGE_EXTENSIONS = new Set([
  // images
  'jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'svg', 'bmp', 'ico', 'tif', 'tiff', 'heic',
  // audio and video
  'mp3', 'm4a', 'aac', 'wav', 'ogg', 'oga', 'flac', 'mp4', 'm4v', 'webm', 'ogv', 'mov', 'avi', 'mkv', 'wmv', 'flv', '3gp', 'm3u8',
  // documents and data
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'rtf', 'epub', 'csv', 'txt', 'json',
  // archives and binaries
  'zip', 'rar', '7z', 'gz', 'tgz', 'tar', 'bz2', 'xz', 'exe', 'dmg', 'apk', 'iso', 'bin',
  // web assets and fonts
  'css', 'js', 'mjs', 'map', 'woff', 'woff2', 'ttf', 'otf', 'eot',
  // feeds and sitemaps
  'xml', 'rss', 'atom', 'rdf',
]);

/** Patterns are JS regex sources (as written in YAML, e.g. '^https://www\\.site\\.com/\\d{4}/'), searched in the absolute URL (and, for patterns written as '^/path', in its path + query). A bad pattern throws NewscleanError('CONFIG_INVALID') naming it. */
export function compileFollowRules(spec: { allow: string[]; deny: string[]; maxDepth: number }, where: string): FollowRules {
  const { maxDepth } = spec;
  if (!(maxDepth >= 0) || (!Number.isInteger(maxDepth) && maxDepth !== Infinity)) {
    throw new NewscleanError('CONFIG_INVALID', `${where}: maxDepth must be a whole number >= 0, got ${String(maxDepth)}.`);
  }
  return { allow: compileAll(spec.allow, `${where}.allow`), deny: compileAll(spec.deny, `${where}.deny`), maxDepth };
}

function compileAll(sources: string[], where: string): RegExp[] {
  return sources.map((source, i) => {
    try {
      // No flags: a 'g' or 'y' RegExp keeps lastIndex between test() calls and would skip matches.
      return new RegExp(source);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new NewscleanError('CONFIG_INVALID', `${where}[${i}]: invalid pattern ${JSON.stringify(source)}: ${reason}`, { cause: err });
    }
  });
}

/** Same site (host equal to one of siteHosts, ignoring a leading www.), http(s), not denied, allowed (empty allow = everything), depth <= maxDepth, and not an obvious non-page. */
export function shouldFollow(url: string, depth: number, rules: FollowRules, siteHosts: string[]): boolean {
  const parsed = parseHttpUrl(url);
  if (!parsed || depth > rules.maxDepth) return false;
  if (!isOnSite(parsed, siteHosts)) return false;
  if (NON_PAGE_EXTENSIONS.has(extensionOf(parsed.pathname))) return false;
  const targets = matchTargets(parsed);
  if (rules.deny.some((re) => targets.some((t) => re.test(t)))) return false;
  return rules.allow.length === 0 || rules.allow.some((re) => targets.some((t) => re.test(t)));
}

/**
 * What allow/deny patterns are searched in: the absolute URL, as documented
 * (so '^https://www\.site\.com/news/' works), and, for patterns written
 * before that ('^/news/'), the path + query. Each as the URL holds it
 * (percent-encoded) and decoded, so a pattern written in Arabic ('/أخبار/')
 * matches as well as an encoded one.
 */
function matchTargets(url: URL): string[] {
  const absolute = url.hash === '' ? url.href : url.href.slice(0, url.href.length - url.hash.length);
  const targets = [absolute, url.pathname + url.search];
  for (const raw of targets.slice()) {
    try {
      const decoded = decodeURI(raw);
      if (decoded !== raw) targets.push(decoded);
    } catch {
      // malformed %-escape: only the raw form can be tested
    }
  }
  return targets;
}

function extensionOf(pathname: string): string {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot < 0 ? '' : last.slice(dot + 1).toLowerCase();
}

/** Links of a page (from hrefs already collected), resolved against baseUrl, fragment dropped, http(s) only, de-duplicated in order. */
export function resolveLinks(hrefs: string[], baseUrl: string): string[] {
  const found = new Set<string>();
  for (const href of hrefs) {
    const value = href.trim();
    if (value === '' || value.startsWith('#')) continue; // "" and "#top" point back at this same page
    // A base that does not parse still leaves absolute links.
    const url = resolveLink(value, baseUrl) ?? resolveLink(value);
    if (url) found.add(url);
  }
  return [...found];
}

/** Parse `--since` style values and feed/sitemap dates: true when the item is at or after `since`; items with no date are kept (they cannot be excluded). */
export function isSince(published: string | null, since: Date | null): boolean {
  if (published === null || since === null || Number.isNaN(since.getTime())) return true;
  // A date without offset, or without time, is kept if any zone's reading could reach `since`.
  const latest = latestInstant(published);
  return latest === null || latest >= since.getTime();
}
