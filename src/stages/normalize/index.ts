/**
 * Normalize stage: CleanedPage → Article. Paragraph text is normalized
 * (Unicode, spacing), boilerplate lines and repeats are dropped, and the raw
 * metadata is turned into standard forms.
 */
import type { Config } from '../../config/schema.js';
import type { Article, CleanedPage, TextBlock } from '../../shared/types.js';
import { foldForMatching } from './arabic-fold.js';
import { isBoilerplateLine, loadPhraseRules, type PhraseRules } from './boilerplate-lines.js';
import { dedupeBlocks } from './dedupe-blocks.js';
import { cleanTitle, directionFor, languageSample, normalizeLang } from './metadata.js';
import { type BylineRules, bylineLines, loadBylineRules, nameLines, readBylines, splitDateline } from './bylines.js';
import { onlyNames } from './co-authors.js';
import { leadingDatelines, resolveDates } from './pick-dates.js';
import { type DateRules, loadDateRules } from './date-rules.js';
import { normalizeText } from './unicode.js';
import { searchFold } from './search-fold.js';
import { isMarkupLeak, stripLeakedMarkup } from './markup-leak.js';
import { type UrlRules, canonicalizeUrl, parseUrl } from '../../shared/url.js';
import { loadUrlRules } from './canonical-url.js';
import { type MetadataLineRules, isMetadataLine, loadMetadataLineRules, sourceCredit } from './metadata-lines.js';
import { ruleFilePath } from '../../config/rule-files.js';

// What other stages and layers use of normalize's parts. Other stages import
// only this file (eslint.config.js); normalize imports no other stage, so
// these re-exports cannot make an import cycle.
export { asciiDigits, foldForMatching } from './arabic-fold.js';
export { type UnicodeOptions, isJsSpace, normalizeText } from './unicode.js';
export { searchFold } from './search-fold.js';
export { quickLang } from './quick-lang.js';
export { type DateRules, defaultDateRules, loadDateRules } from './date-rules.js';
export { dateLabelOf, toIsoDate } from './scan-dates.js';
export { fullIso } from './pick-dates.js';
export { withListedDate } from './listed-date.js';
export { type PhraseRules, isBoilerplateLine, loadPhraseRules } from './boilerplate-lines.js';
export { type MetadataLineRules, isCreditLine, isMetadataLine, loadMetadataLineRules, sourceCredit } from './metadata-lines.js';
export { type UrlRules, canonicalizeUrl, compileUrlRules, loadUrlRules } from './canonical-url.js';

/** Everything the normalize stage reads from config/rules (or a `clean.rulesDir` override). */
export interface NormalizeRules {
  phrases: PhraseRules;
  metadataLines: MetadataLineRules;
  bylines: BylineRules;
  dates: DateRules;
  urls: UrlRules;
}

export function loadNormalizeRules(rulesDir = ''): NormalizeRules {
  const path = (name: string): string => ruleFilePath(rulesDir, name);
  return {
    phrases: loadPhraseRules(path('phrases.json')),
    metadataLines: loadMetadataLineRules(path('metadata-lines.json')),
    bylines: loadBylineRules(path('bylines.json')),
    dates: loadDateRules(path('dates.json')),
    urls: loadUrlRules(path('url-params.json')),
  };
}

type NormalizeConfig = Config['normalize'];

/** pre and table blocks keep their line structure. */
const keepsLines = (kind: TextBlock['kind']): boolean => kind === 'pre' || kind === 'table';

/** Resolve against the page URL; keep the value as given when that is impossible. */
function absoluteUrl(value: string | null, base: string | null): string | null {
  const v = value?.trim();
  if (!v) return null;
  return parseUrl(v, base)?.href ?? v;
}

/** The first declared URL, absolute and in canonical form. */
function canonicalUrlOf(candidates: (string | null)[], base: string | null, rules: UrlRules): string | null {
  const abs = absoluteUrl(candidates.find((u) => u?.trim()) ?? null, base);
  return abs === null ? null : canonicalizeUrl(abs, rules);
}

/** An agency dateline is looked for in this many first blocks. */
const LEAD_BLOCKS = 3;

/** Source lines sit at either end of a story: this many blocks in from each end are read. */
const SOURCE_LINE_BLOCKS = 4;

function sourceCredits(blocks: readonly TextBlock[], rules: MetadataLineRules): string[] {
  const ends = blocks.length <= 2 * SOURCE_LINE_BLOCKS ? blocks : [...blocks.slice(0, SOURCE_LINE_BLOCKS), ...blocks.slice(-SOURCE_LINE_BLOCKS)];
  return ends.map((b) => sourceCredit(b.text, rules)).filter((c): c is string => c !== null);
}

function uniqueFolded(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = foldForMatching(v) || v;
    if (!v || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A tags value may be a list in one string: "a, b", «أ، ب», "a; b", "a | b". `tags` is always one tag an entry. */
const TAG_SEPARATORS = /[,،;؛|、]/;

/** `now` is the extraction time: no published/modified date may be later. */
export function normalize(page: CleanedPage, config: NormalizeConfig, rules: NormalizeRules, now: Date = new Date()): Article {
  const { meta } = page;
  const metaLines = rules.metadataLines;
  const text = (s: string | null): string | null => (s === null ? null : normalizeText(s, config) || null);

  const siteName = text(meta.siteName);
  const siteNames = (meta.siteNames ?? []).map(text);
  const texts = (list: string[] | undefined): string[] => (list ?? []).map((s) => text(s) ?? '');
  // Authors first: a title segment that names the author is not headline.
  const { authors, sourceAgency } = readBylines(
    {
      declared: texts(meta.authors),
      elements: texts(meta.bylines),
      lines: bylineLines(page.blocks, metaLines),
      nameLines: nameLines(page.blocks),
      credits: [...texts(meta.credits), ...sourceCredits(page.blocks, metaLines)],
      lead: page.blocks.slice(0, LEAD_BLOCKS).map((b) => b.text),
    },
    [siteName, ...siteNames],
    rules.bylines,
    metaLines.dateWords,
  );
  const t = meta.titles;
  const title = cleanTitle(
    { og: text(t.og), jsonLd: text(t.jsonLd), meta: text(t.meta), htmlTitle: text(t.htmlTitle), h1: text(t.h1), declared: text(t.declared ?? null), crumbH1: text(t.crumbH1 ?? null) },
    siteName,
    { siteNames, exact: [...authors, ...texts(meta.homeLinkNames)], byline: metaLines.byline },
  );

  // A lead paragraph made of the credited names alone ("Jane Roe", "JANE ROE/TOM LUND") is the byline, not story.
  const authorKeys = authors.map(foldForMatching);
  // Each paragraph is folded once here; the checks below all compare folded text.
  let paragraphs: string[] = [];
  let folded: string[] = [];
  let datelineSeen = false;
  for (const block of page.blocks) {
    let p = normalizeText(block.text, config, keepsLines(block.kind));
    if (block.kind !== 'pre' && isMarkupLeak(p)) p = stripLeakedMarkup(p);
    if (!p) continue;
    const key = foldForMatching(p);
    if (config.dropBoilerplateLines && (isBoilerplateLine(p, rules.phrases, key) || isMetadataLine(p, metaLines, key))) continue;
    if (paragraphs.length < LEAD_BLOCKS && authors.length > 0 && onlyNames(key, authorKeys)) continue;
    // "WASHINGTON (Reuters) - …", «عمان --(بترا)-- …»: the dateline is metadata (its agency is source_agency), the rest is story.
    const dateline = config.dropDatelines && !datelineSeen && paragraphs.length < LEAD_BLOCKS ? splitDateline(p, rules.bylines) : null;
    if (dateline) {
      datelineSeen = true;
      p = dateline.rest;
      paragraphs.push(p);
      folded.push(foldForMatching(p));
      continue;
    }
    paragraphs.push(p);
    folded.push(key);
  }

  // The headline repeated as the body's first block. Here and for tags, loops
  // rather than .map().filter(): the chains' fresh arrays made V8 throw away and
  // recompile this (large) function when their element kinds changed.
  const headlines = new Set<string>();
  for (const h of [title, t.h1, t.og, t.jsonLd]) {
    const key = h ? foldForMatching(h) : '';
    if (key) headlines.add(key);
  }
  if (paragraphs.length > 0 && headlines.has(folded[0]!)) {
    paragraphs = paragraphs.slice(1);
    folded = folded.slice(1);
  }

  if (config.dedupeBlocks) paragraphs = dedupeBlocks(paragraphs, folded);

  const sample = languageSample(title, paragraphs);
  const lang = normalizeLang(meta.htmlLang, meta.metaLang, sample);
  const dates = resolveDates(meta, { urls: [page.url, meta.canonicalUrl, meta.ogUrl], lang, datelines: leadingDatelines(page.blocks, metaLines), now, rules: rules.dates });
  const tags: string[] = [];
  for (const tag of meta.tags) for (const part of tag.split(TAG_SEPARATORS)) tags.push(text(part) ?? '');

  return {
    source: page.source,
    url: page.url,
    canonicalUrl: canonicalUrlOf([meta.canonicalUrl, meta.ogUrl, page.url], page.url, rules.urls),
    siteName,
    title,
    authors,
    sourceAgency,
    publishedAt: dates.published,
    modifiedAt: dates.modified,
    dateSource: dates.source,
    lang,
    dir: directionFor(lang, sample),
    description: text(meta.description),
    section: text(meta.section),
    tags: uniqueFolded(tags),
    image: absoluteUrl(meta.image, page.url),
    paragraphs,
    foldedParagraphs: config.fold ? paragraphs.map(searchFold) : null,
  };
}
