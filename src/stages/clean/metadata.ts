/**
 * Raw metadata from the obvious sources: JSON-LD, Open Graph and other meta
 * tags, <link rel=canonical>, <title>, <h1>, <html lang>. Values are returned
 * as found; the normalize stage puts them in standard forms.
 */
import type { CheerioAPI } from 'cheerio';
import type { RawMetadata } from '../../types.js';
import { collapseSpaces } from './dom.js';
import { type LdObject, findArticleObject, ldNames, ldString, ldTypes } from './json-ld.js';

type MetaMap = Map<string, string[]>;

/** All <meta> values keyed by lower-cased name / property / itemprop / http-equiv. */
function collectMeta($: CheerioAPI): MetaMap {
  const map: MetaMap = new Map();
  $('meta').each((_, el) => {
    const a = el.attribs;
    const content = (a['content'] ?? a['value'] ?? '').trim();
    if (!content) return;
    for (const key of [a['property'], a['name'], a['itemprop'], a['http-equiv']]) {
      if (!key) continue;
      const k = key.toLowerCase().trim();
      const list = map.get(k);
      if (list) list.push(content);
      else map.set(k, [content]);
    }
  });
  return map;
}

const first = (m: MetaMap, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = m.get(k)?.[0];
    if (v) return v;
  }
  return null;
};

const isUrl = (s: string) => /^https?:\/\//i.test(s);

function itempropValue($: CheerioAPI, prop: string): string | null {
  const el = $(`[itemprop~="${prop}"]`).first();
  if (!el.length) return null;
  return (el.attr('content') ?? el.attr('datetime') ?? collapseSpaces(el.text())) || null;
}

export function extractMetadata($: CheerioAPI, ld: LdObject[]): RawMetadata {
  const meta = collectMeta($);
  const article = findArticleObject(ld);
  const publisher = article?.['publisher'] ?? ld.find((o) => ldTypes(o).some((t) => /organization|website/.test(t)))?.['name'];
  const html = $('html').first();
  // Priority order, not document order: a logo <h1> in the header often comes first.
  const h1 = ['article h1', 'main h1', '[itemprop=headline]', 'h1'].map((sel) => $(sel).first()).find((el) => el.length > 0) ?? $('h1').first();

  const authors = [
    ...ldNames(article?.['author']),
    ...(meta.get('author') ?? []),
    ...(meta.get('article:author') ?? []).filter((a) => !isUrl(a)),
    ...(meta.get('dc.creator') ?? []),
  ];
  if (authors.length === 0) {
    $('[rel~=author], [itemprop~=author]').slice(0, 5).each((_, el) => {
      const t = collapseSpaces($(el).find('[itemprop=name]').text() || $(el).text());
      if (t && t.length < 80) authors.push(t);
    });
  }

  const ldKeywords = article?.['keywords'];
  const tags = [
    ...(meta.get('article:tag') ?? []),
    ...(Array.isArray(ldKeywords) ? ldNames(ldKeywords) : (ldString(ldKeywords) ?? '').split(',')),
    ...(meta.get('news_keywords') ?? []).flatMap((k) => k.split(',')),
  ];

  return {
    htmlLang: html.attr('lang') ?? html.attr('xml:lang') ?? null,
    htmlDir: html.attr('dir') ?? $('body').attr('dir') ?? null,
    canonicalUrl: $('link[rel~=canonical]').attr('href')?.trim() || null,
    ogUrl: first(meta, 'og:url'),
    titles: {
      og: first(meta, 'og:title', 'twitter:title'),
      jsonLd: ldString(article?.['headline']) ?? ldString(article?.['name']),
      meta: first(meta, 'title', 'dc.title', 'headline'),
      htmlTitle: collapseSpaces($('title').first().text()) || null,
      h1: collapseSpaces(h1.text()) || null,
    },
    siteName: first(meta, 'og:site_name', 'application-name', 'twitter:site') ?? ldString(publisher),
    description: first(meta, 'description', 'og:description', 'twitter:description') ?? ldString(article?.['description']),
    authors,
    publishedAt:
      ldString(article?.['datePublished']) ??
      first(meta, 'article:published_time', 'og:published_time', 'datepublished', 'publishdate', 'pubdate', 'date', 'dc.date.issued', 'dc.date', 'sailthru.date') ??
      itempropValue($, 'datePublished'),
    modifiedAt:
      ldString(article?.['dateModified']) ??
      first(meta, 'article:modified_time', 'og:updated_time', 'datemodified', 'last-modified') ??
      itempropValue($, 'dateModified'),
    section: first(meta, 'article:section') ?? ldString(article?.['articleSection']),
    tags: tags.map((t) => t.trim()).filter(Boolean),
    image: first(meta, 'og:image', 'og:image:url', 'twitter:image') ?? ldString(article?.['image']),
    types: [...(meta.get('og:type') ?? []).map((t) => t.toLowerCase()), ...ld.flatMap(ldTypes)],
    metaLang: first(meta, 'content-language', 'og:locale', 'language', 'dc.language'),
  };
}
