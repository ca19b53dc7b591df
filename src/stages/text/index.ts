/**
 * Text stage: a plain-text dump of a scraped page (menus, section labels,
 * «اقرأ أيضا» links, comment forms, polls and unrelated headlines around the
 * story) → CleanedPage, the same shape the clean stage makes from HTML. The
 * normalize stage then does what it does for pages: boilerplate phrase
 * lines, byline/date lines and repeated blocks go, metadata is standardized.
 *
 *   lines → known boilerplate (lists in config/rules) → cut the tail
 *   → main prose run (prose-run.ts) → title / byline / dateline (header.ts)
 *   → inside the body: drop polls, links, forms, unrelated headlines.
 */
import type { Config } from '../../config/schema.js';
import type { CleanedPage, RawMetadata, TextBlock } from '../../shared/types.js';
import { isBoilerplateLine, isMetadataLine, type MetadataLineRules, type PhraseRules, sourceCredit } from '../normalize/index.js';
import { splitDump } from './blocks.js';
import { dateText, findTitle, headerCredit, isByline, isDateline } from './header.js';
import { type Line, isCommentForm, isLinkLabel, isPromo, isProseLine, isTailMarker, stems, toLine } from './lines.js';
import { findPolls } from './polls.js';
import { type Role, type Span, findBody } from './prose-run.js';
import type { TextRules } from './rules.js';

export type { TextRules } from './rules.js';
export { loadTextRules } from './rules.js';

export type DropReason =
  | 'head' | 'tail' | 'title' | 'byline' | 'dateline' | 'poll' | 'link' | 'comment-form' | 'promo' | 'headline';

export interface TextCleanOptions {
  rules: TextRules;
  phrases: PhraseRules;
  metaLines: MetadataLineRules;
  normalize: Config['normalize'];
}

export interface TextCleanResult {
  page: CleanedPage;
  /** Non-blank input lines. */
  linesIn: number;
  /** Lines this stage dropped, and why (normalize may drop more). */
  dropped: Array<{ index: number; reason: DropReason; text: string }>;
}

/** Headline-like lines after a link label are the links: at most this many. */
const MAX_LINKS = 8;

/** What each line is known to be before any position-based decision. */
function knownBoilerplate(lines: Line[], o: TextCleanOptions) {
  const { rules } = o;
  const polls = findPolls(lines, rules);
  const reason: Array<DropReason | null> = lines.map((l, i) =>
    polls.has(i) ? 'poll' : isCommentForm(l, rules) ? 'comment-form' : isPromo(l, rules) ? 'promo' : isLinkLabel(l, rules) ? 'link' : null,
  );
  // The headline-like lines a link label introduces.
  for (let i = 0; i < lines.length; i++) {
    if (reason[i] !== 'link' || polls.has(i)) continue;
    for (let k = i + 1; k < lines.length && k <= i + MAX_LINKS && reason[k] === null && !isProseLine(lines[k]!, rules); k++) reason[k] = 'link';
  }
  const meta = lines.map((l) => isMetadataLine(l.text, o.metaLines, l.key));
  const phrase = lines.map((l) => isBoilerplateLine(l.text, o.phrases, l.key));
  return { reason, meta, phrase };
}

/** Short lines seen more than once (menus printed twice, the headline repeated). */
function repeatedKeys(lines: Line[], rules: TextRules): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const l of lines) {
    if (!l.key || isProseLine(l, rules)) continue;
    if (seen.has(l.key)) repeated.add(l.key);
    seen.add(l.key);
  }
  return repeated;
}

/** Index of the first tail marker with enough prose above it, or lines.length. */
function tailStart(lines: Line[], roles: Role[], rules: TextRules): number {
  let prose = 0;
  for (let i = 0; i < lines.length; i++) {
    if (isTailMarker(lines[i]!, rules) && prose >= rules.run.minTailProseChars) return i;
    if (roles[i] === 'prose') prose += lines[i]!.text.length;
  }
  return lines.length;
}

/**
 * The story's last line when it has no full stop ("With us from Qamishli is
 * …" before the interview): one non-prose line right after the body, when
 * what follows it is known boilerplate ("Read also:") or the end of the dump.
 */
function closingLine(end: number, lines: Line[], roles: Role[], known: boolean[], rules: TextRules): number | null {
  const next = end + 1;
  const line = lines[next];
  if (!line || roles[next] !== 'other' || line.words < rules.prose.minWords) return null;
  return next + 1 === lines.length || known[next + 1] ? next : null;
}

/** Share of a line's content words that occur in the body's prose. */
function overlap(l: Line, vocabulary: Set<string>): number {
  const s = stems(l.key);
  return s.length === 0 ? 1 : s.filter((w) => vocabulary.has(w)).length / s.length;
}

function metadataKind(l: Line, isMeta: boolean, o: TextCleanOptions): 'byline' | 'dateline' | null {
  if (isByline(l, o.metaLines)) return 'byline';
  return isDateline(l, isMeta, o.metaLines) ? 'dateline' : null;
}

function emptyMeta(): RawMetadata {
  return {
    htmlLang: null, htmlDir: null, canonicalUrl: null, ogUrl: null,
    titles: { og: null, jsonLd: null, meta: null, htmlTitle: null, h1: null },
    siteName: null, description: null, authors: [], publishedAt: null, modifiedAt: null,
    section: null, tags: [], image: null, types: [], metaLang: null,
  };
}

export function cleanText(dump: string, source: string, o: TextCleanOptions): TextCleanResult {
  const { rules } = o;
  const split = splitDump(dump, o.normalize);
  const lines = split.lines.map(toLine);
  const { reason, meta, phrase } = knownBoilerplate(lines, o);
  const repeated = repeatedKeys(lines, rules);
  const known = lines.map((_, i) => reason[i] !== null || meta[i]! || phrase[i]!);
  const roles: Role[] = lines.map((l, i) =>
    known[i] || repeated.has(l.key) ? 'neutral' : isProseLine(l, rules) ? 'prose' : 'other',
  );

  const cut = tailStart(lines, roles, rules);
  const body: Span | null = findBody(roles.slice(0, cut), lines.map((l) => l.text.length), rules.run);
  const closing = body ? closingLine(body.end, lines, roles, known, rules) : null;
  if (body && closing !== null) body.end = closing;
  const titleAt = body ? findTitle(lines, known, body, rules) : null;
  const title = titleAt === null ? null : lines[titleAt]!;

  const m = emptyMeta();
  m.titles.h1 = title?.text ?? null;
  const dropped: TextCleanResult['dropped'] = [];
  const drop = (index: number, why: DropReason): void => void dropped.push({ index, reason: why, text: lines[index]!.text });

  const vocabulary = new Set<string>();
  if (body) for (let i = body.start; i <= body.end; i++) if (roles[i] === 'prose') for (const s of stems(lines[i]!.key)) vocabulary.add(s);

  const blocks: TextBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const inBody = body !== null && i >= body.start && i <= body.end;
    // Bylines and datelines above the tail are metadata (normalize drops those inside the body).
    const metaKind = i < cut ? metadataKind(l, meta[i]!, o) : null;
    if (metaKind === 'byline') m.authors.push(l.text);
    else if (metaKind === 'dateline') {
      const updated = rules.updatedWords.some((w) => ` ${l.key} `.includes(` ${w} `));
      if (updated) m.modifiedAt ??= dateText(l.text);
      else m.publishedAt ??= dateText(l.text);
    } else if (body && i < body.start) {
      const credit = headerCredit(l);
      if (credit) m.authors.push(credit);
    }
    const source = body && i > body.start ? sourceCredit(l.text, o.metaLines) : null;
    if (source) (m.credits ??= []).push(source);

    if (title && l.key === title.key) drop(i, 'title');
    else if (!inBody) drop(i, metaKind ?? (i < (body?.start ?? cut) ? 'head' : 'tail'));
    else if (reason[i]) drop(i, reason[i]!);
    else if (i !== closing && roles[i] === 'other' && !l.sentence && l.words >= rules.headline.minWords && overlap(l, vocabulary) < rules.headline.maxOverlap) {
      drop(i, 'headline');
    } else blocks.push({ kind: l.kind === 'li' ? 'li' : roles[i] === 'prose' ? 'p' : 'heading', text: l.text });
  }

  const total = lines.reduce((n, l) => n + l.text.length, 0);
  const kept = blocks.reduce((n, b) => n + b.text.length, 0);
  return {
    page: { source, url: null, blocks, meta: m, bodySource: body ? 'density' : 'none', coverage: total ? kept / total : 0 },
    linesIn: split.linesIn,
    dropped,
  };
}
