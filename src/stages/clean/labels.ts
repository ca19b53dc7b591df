/**
 * Block-level filtering after the body is chosen: drop link lists, and the
 * headings and short labels that only introduce them ("Related stories",
 * «مقالات ذات صلة», "Mehr zum Thema") or introduce nothing at all. Works on
 * structure alone, so it needs no phrase list for the site's language.
 */
import type { RawBlock } from './blocks.js';

/** Blocks whose text is mostly link text are navigation, not prose. */
const MAX_BLOCK_LINK_DENSITY = 0.5;
/** A label is a short line that does not end like a sentence. */
const MAX_LABEL_WORDS = 8;
const MAX_HEADING_LABEL_WORDS = 10;
const SENTENCE_END = /[.!?。！？؟…"”»)]$/u;

/**
 * A paragraph dense with links is still prose when its own words make a
 * sentence around them: a list of sources, a "see also" sentence. Its text
 * outside links is at least this long, it ends like a sentence, and links
 * are at most MAX_PROSE_LINK_DENSITY of it. Tag rows and next/previous links
 * have next to no text of their own.
 */
const MIN_PROSE_OWN_CHARS = 40;
const MAX_PROSE_LINK_DENSITY = 0.75;

export const isProseBlock = (b: RawBlock): boolean =>
  b.kind === 'pre' ||
  b.linkChars <= b.text.length * MAX_BLOCK_LINK_DENSITY ||
  (b.kind === 'p' && b.linkChars <= b.text.length * MAX_PROSE_LINK_DENSITY && b.text.length - b.linkChars >= MIN_PROSE_OWN_CHARS && SENTENCE_END.test(b.text));

/** A short heading, or a short line that does not end like a sentence. */
/** Words in a block (its text is whitespace-collapsed), counted up to `cap`. */
function wordsUpTo(text: string, cap: number): number {
  let n = 1;
  for (let i = text.indexOf(' '); i >= 0 && n <= cap; i = text.indexOf(' ', i + 1)) n++;
  return n;
}

function isLabel(b: RawBlock): boolean {
  const words = wordsUpTo(b.text, MAX_HEADING_LABEL_WORDS);
  if (b.kind === 'heading') return words <= MAX_HEADING_LABEL_WORDS;
  if (b.kind !== 'p' && b.kind !== 'li') return false;
  return words <= MAX_LABEL_WORDS && !SENTENCE_END.test(b.text);
}

/** Keep prose blocks; drop headings/labels that head a link list or a section of links. */
export function keepProseBlocks(blocks: RawBlock[]): RawBlock[] {
  const prose = blocks.map(isProseBlock);
  markTeaserBlurbs(blocks, prose);
  const kept: RawBlock[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (!prose[i]) continue;
    if (headsLinkList(blocks, prose, i)) continue;
    if (b.kind === 'heading' && headsNavigation(blocks, prose, i)) continue;
    kept.push(b);
  }
  return kept;
}

/**
 * A heading directly followed by a link block, or a short label followed by
 * two or more (one link after a label is often part of the text: "Solution: … [worked answer]").
 */
function headsLinkList(blocks: RawBlock[], prose: boolean[], i: number): boolean {
  const b = blocks[i]!;
  if (!isLabel(b)) return false;
  let run = 0;
  for (let j = i + 1; j < blocks.length && !prose[j] && blocks[j]!.kind !== 'heading'; j++) run++;
  return run >= (b.kind === 'heading' ? 1 : 2);
}

/**
 * A heading whose section (up to the next heading of the same or a higher
 * rank) holds no prose: either the body ends, or its content was links.
 */
function headsNavigation(blocks: RawBlock[], prose: boolean[], i: number): boolean {
  const level = blocks[i]!.level ?? 6;
  let links = 0;
  for (let j = i + 1; j < blocks.length; j++) {
    const b = blocks[j]!;
    if (b.kind === 'heading' && prose[j]) {
      if ((b.level ?? 6) <= level) return links > 0;
      continue; // a subheading: its own section decides
    }
    if (prose[j]) return false;
    links++;
  }
  return links > 0 || isLabel(blocks[i]!);
}

/** A teaser's summary: one short paragraph. */
const MAX_BLURB_CHARS = 400;
const MIN_TEASERS = 2;

/**
 * Teaser cards of other stories: a headline that is a link, then one short
 * paragraph (its summary). Two or more such cards in a row (the next card's
 * linked headline right after a summary) make a list of other stories, and
 * their summaries go with their (already dropped) headlines, as does a short
 * label right above the first card ("More on this"). An article's own
 * subheading is not a link, and its section goes on in more prose.
 */
function markTeaserBlurbs(blocks: RawBlock[], prose: boolean[]): void {
  const isBlurb = (i: number): boolean => {
    const b = blocks[i];
    return !!b && i > 0 && prose[i]! && b.kind === 'p' && b.text.length <= MAX_BLURB_CHARS && blocks[i - 1]!.kind === 'heading' && !prose[i - 1];
  };
  for (let i = 1; i < blocks.length; i++) {
    if (!isBlurb(i)) continue;
    let end = i;
    while (isBlurb(end + 2)) end += 2;
    if ((end - i) / 2 + 1 >= MIN_TEASERS) {
      for (let j = i; j <= end; j += 2) prose[j] = false;
      if (i >= 2 && isLabel(blocks[i - 2]!)) prose[i - 2] = false;
    }
    i = end;
  }
}
