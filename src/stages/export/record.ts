import { createHash } from 'node:crypto';
import type { Article, ArticleRecord } from '../../shared/types.js';
import { VERSION } from '../../shared/version.js';

/**
 * Word counting. A word is a Han / Hiragana / Katakana character (with any
 * combining marks after it: those scripts are written without spaces, so each
 * character counts as one word), or a run of other letters, marks and digits.
 * Apostrophes, hyphens and ZWNJ *inside* a run don't split it ("don't",
 * "well-known", Persian "می‌خواهم" are one word each). Korean puts spaces
 * between words, so Hangul counts by runs like Latin, not per syllable.
 *
 * Scanned by hand with a per-character class cache: the equivalent
 * Unicode-property regex was one of the costlier steps per page.
 */
const OTHER = 1; // not part of a word
const WORD = 2; // letter or digit outside the per-character scripts
const MARK = 3; // combining mark outside them: continues a word or a CJK character
const CJK = 4; // a word on its own
const CJK_MARK = 5; // a combining mark of those scripts (e.g. U+302A–302D): a CJK character too
const JOINER = 6; // ' ’ - ZWNJ: joins two runs when between them

const CJK_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const IS_MARK = /\p{M}/u;
const IS_WORD = /[\p{L}\p{N}]/u;

function classify(ch: string): number {
  if (CJK_SCRIPTS.test(ch)) return IS_MARK.test(ch) ? CJK_MARK : CJK;
  if (IS_MARK.test(ch)) return MARK;
  if (IS_WORD.test(ch)) return WORD;
  return ch === "'" || ch === '’' || ch === '-' || ch === '\u200C' ? JOINER : OTHER;
}

// Classes learned on first sight (0 = not yet), BMP in a table, the rest in a map.
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Code units taken by the code point at `i`: 2 for a surrogate pair, else 1. */
const width = (s: string, i: number): number => (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? 2 : 1);

/** Class of the code point at `i` (a lone surrogate is OTHER, as in a /u regex). */
function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (width(s, i) === 2) {
    const cp = s.codePointAt(i)!;
    let k = astralClass.get(cp);
    if (k === undefined) astralClass.set(cp, (k = classify(String.fromCodePoint(cp))));
    return k;
  }
  return bmpClass[c] || (bmpClass[c] = classify(String.fromCharCode(c)));
}

const continuesRun = (k: number): boolean => k === WORD || k === MARK;

export function countWords(text: string): number {
  let words = 0;
  let i = 0;
  while (i < text.length) {
    const k = classAt(text, i);
    i += width(text, i);
    if (k === CJK || k === CJK_MARK) {
      words++;
      // Marks after the character belong to it.
      while (i < text.length) {
        const m = classAt(text, i);
        if (m !== MARK && m !== CJK_MARK) break;
        i += width(text, i);
      }
    } else if (continuesRun(k)) {
      words++;
      while (i < text.length) {
        const m = classAt(text, i);
        if (continuesRun(m)) i += width(text, i);
        else if (m === JOINER && i + 1 < text.length && continuesRun(classAt(text, i + 1))) i += 1 + width(text, i + 1);
        else break;
      }
    }
  }
  return words;
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
    source_agency: article.sourceAgency,
    published_at: article.publishedAt,
    modified_at: article.modifiedAt,
    date_source: article.dateSource ?? null,
    lang: article.lang,
    dir: article.dir,
    description: article.description,
    section: article.section,
    tags: article.tags,
    image: article.image,
    text,
    ...(article.foldedParagraphs ? { text_folded: joinParagraphs(article.foldedParagraphs) } : {}),
    word_count: countWords(text),
    content_hash: `sha256:${sha256(text)}`,
    // Set by the run's ledger from the state store (src/run/ledger.ts).
    version: 1,
    previous_hash: null,
    duplicate_of: null,
    cluster_id: null,
    extracted_at: opts.extractedAt.toISOString(),
    extractor: { name: 'newsclean', version: VERSION },
  };
}
