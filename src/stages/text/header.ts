/**
 * Metadata a text dump shows as lines: the title (a heading-like line just
 * above the body, or the one the body repeats), bylines ("By Jane Doe",
 * «كتب: فلان»), datelines ("Published 12 March 2024"), and a segmented
 * header line ("Site | City – Country – (Reporter Name)"). Only lines that
 * clearly are one of these count; the rest is left alone.
 */
import { isCreditLine, type MetadataLineRules } from '../normalize/index.js';
import type { Line } from './lines.js';
import type { Span } from './prose-run.js';
import type { TextRules } from './rules.js';

/** A heading: a few words, not a sentence (a final ? or ! is fine). */
export function isHeadingLike(l: Line, r: TextRules): boolean {
  return l.kind === 'p' && l.words >= r.title.minWords && l.words <= r.title.maxWords && !/[.…:،,;]["'”’»)\]]*$/u.test(l.text);
}

const SEGMENT_SEPARATOR = /\s*[|·]\s*|\s+[–—-]\s+/u;
const MIN_SEGMENTS = 3;
const MAX_SEGMENT_WORDS = 6;
/** "(Jane Doe)": two to four words of letters. */
const PAREN_NAME = /\(\s*((?:[\p{L}\p{M}.'’-]+\s+){1,3}[\p{L}\p{M}.'’-]+)\s*\)/u;

/**
 * A header line of short segments ("Site | Dubai – UAE – (Jane Doe)"):
 * returns the credited name (or null), or undefined when the line is no such header.
 */
export function headerCredit(l: Line): string | null | undefined {
  if (l.sentence) return undefined;
  const segments = l.text.split(SEGMENT_SEPARATOR).filter(Boolean);
  if (segments.length < MIN_SEGMENTS || segments.some((s) => s.split(/\s+/).length > MAX_SEGMENT_WORDS)) return undefined;
  return PAREN_NAME.exec(l.text)?.[1] ?? null;
}

/** A byline: a byline prefix and a short name, not a sentence ("By the time we left, …"). */
export const isByline = (l: Line, m: MetadataLineRules): boolean =>
  m.byline.test(l.key) && l.words <= m.maxBylineWords && !/[.…]$/u.test(l.text);

/** A dateline: a metadata line that is neither a byline nor a credit, with a number in it. */
export const isDateline = (l: Line, isMeta: boolean, m: MetadataLineRules): boolean =>
  isMeta && /\p{Nd}/u.test(l.text) && !isByline(l, m) && !isCreditLine(l.text, m);

/** "Published: 12 March 2024" → "12 March 2024": the label goes, the date parser gets the rest. */
export const dateText = (text: string): string => text.replace(/^[\p{L}\p{M}\s]{1,30}[:：]\s*/u, '').trim();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

/** Lines in a run of consecutive short lines longer than this are menu items, not a title… */
const MAX_HEADER_BLOCK = 3;
/** …unless the line is much longer than its neighbours. */
const TITLE_STANDS_OUT = 1.5;
const MIN_STANDOUT_WORDS = 6;

/**
 * The title line's index, or null. `known[i]` marks lines already identified
 * (bylines, datelines, boilerplate phrases, polls): never a title, and
 * skipped when measuring the distance to the body.
 */
export function findTitle(lines: Line[], known: boolean[], body: Span, r: TextRules): number | null {
  const bodyKeys = new Set<string>();
  for (let i = body.start; i <= body.end; i++) bodyKeys.add(lines[i]!.key);
  const candidate = (i: number): boolean => !known[i] && isHeadingLike(lines[i]!, r) && headerCredit(lines[i]!) === undefined;

  // The body repeats the headline (a page captured with its title twice).
  for (let i = body.start - 1; i >= 0; i--) if (candidate(i) && bodyKeys.has(lines[i]!.key)) return i;

  // The nearest heading-like line above the body.
  let distance = 0;
  let i = body.start - 1;
  for (; i >= 0 && distance <= r.title.maxDistance; i--) {
    if (known[i]) continue;
    if (candidate(i)) break;
    distance++;
  }
  if (i < 0 || distance > r.title.maxDistance) return null;

  // Not the last item of a menu: count the short lines stacked above it.
  const block: number[] = [];
  for (let k = i - 1; k >= 0 && !known[k] && lines[k]!.words <= r.title.maxWords && !lines[k]!.sentence; k--) block.push(lines[k]!.words);
  if (block.length + 1 <= MAX_HEADER_BLOCK) return i;
  const words = lines[i]!.words;
  return words >= MIN_STANDOUT_WORDS && words >= TITLE_STANDS_OUT * median(block) ? i : null;
}
