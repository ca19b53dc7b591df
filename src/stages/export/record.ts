import { createHash } from 'node:crypto';
import type { Article, ArticleRecord } from '../../types.js';
import { VERSION } from '../../version.js';

// Scripts written without spaces between words: each character is one word.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u{AC00}-\\u{D7A3}';
const WORD_CHAR = `(?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}])`;
/**
 * A word is a CJK character (with any combining marks) or a run of letters,
 * marks and digits. Apostrophes, hyphens and ZWNJ *inside* a run don't split
 * it ("don't", "well-known", Persian "می‌خواهم" are one word each).
 */
const WORD_RE = new RegExp(`[${CJK}]\\p{M}*|${WORD_CHAR}+(?:['’\\-\\u200C]${WORD_CHAR}+)*`, 'gu');

export function countWords(text: string): number {
  return text.match(WORD_RE)?.length ?? 0;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Paragraphs separated by exactly one blank line; empty paragraphs would break that. */
export function joinParagraphs(paragraphs: string[]): string {
  return paragraphs.filter((p) => p.length > 0).join('\n\n');
}

/** Build the schema v1 record (docs/record.schema.json) for one article. */
export function toRecord(article: Article, opts: { extractedAt: Date }): ArticleRecord {
  const text = joinParagraphs(article.paragraphs);
  return {
    schema_version: 1,
    // Stable across runs: the same page (by best-known URL) gets the same id.
    id: sha256(article.canonicalUrl ?? article.url ?? article.source).slice(0, 16),
    source: article.source,
    url: article.url,
    canonical_url: article.canonicalUrl,
    site_name: article.siteName,
    title: article.title,
    authors: article.authors,
    published_at: article.publishedAt,
    modified_at: article.modifiedAt,
    lang: article.lang,
    dir: article.dir,
    description: article.description,
    section: article.section,
    tags: article.tags,
    image: article.image,
    text,
    word_count: countWords(text),
    content_hash: `sha256:${sha256(text)}`,
    extracted_at: opts.extractedAt.toISOString(),
    extractor: { name: 'newsclean', version: VERSION },
  };
}
