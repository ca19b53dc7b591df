/**
 * A plain-text dump → lines, the unit every later step works on. Each
 * non-blank line is a paragraph, except hard-wrapped prose (a group of lines
 * of near-equal width that breaks mid-sentence), which is joined back into one.
 * Bullets ("• item", "- item") become list items without the bullet.
 */
import { type UnicodeOptions, normalizeText } from '../normalize/index.js';

export interface DumpLine {
  text: string;
  kind: 'p' | 'li';
}

const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/;
const BULLET = /^(?:[•·▪●◦‣∙○■□➢➤►▸]|[-*+](?=\s))\s*/u;
/** A sentence ends here: . ! ? … ؟ (the Arabic question mark), then closing quotes or brackets. */
export const SENTENCE_END = /[.!?…؟。]["'”’»)\]]*$/u;
const SENTENCE_INSIDE = /[.!?…؟。]["'”’»)\]]*\s/u;

/** Widths a hard-wrapped dump is written at (e-mail, terminals, Usenet). */
const MIN_WRAP = 40;
const MAX_WRAP = 120;
/** Wrapped lines (all but the last) fill at least this share of the widest one. */
const WRAP_FILL = 0.75;

/**
 * True for a group of consecutive lines that is one paragraph wrapped at a
 * fixed width: near-equal widths, each break where the next word would not
 * fit, and sentence punctuation somewhere (headline lists have none).
 */
export function isHardWrapped(group: string[]): boolean {
  if (group.length < 2) return false;
  const body = group.slice(0, -1);
  const width = body.reduce((w, l) => Math.max(w, l.length), 0); // no spread: groups can be huge
  if (width < MIN_WRAP || width > MAX_WRAP) return false;
  if (body.some((l) => l.length < width * WRAP_FILL) || group.at(-1)!.length > width) return false;
  // Greedy wrapping: a line ends where the next line's first word would not fit.
  const greedy = body.every((l, i) => l.length + 1 + group[i + 1]!.split(' ', 1)[0]!.length > width);
  const breaksMidSentence = body.some((l) => !SENTENCE_END.test(l));
  const hasSentences = group.some((l) => SENTENCE_END.test(l) || SENTENCE_INSIDE.test(l));
  return greedy && breaksMidSentence && hasSentences;
}

function toLine(text: string): DumpLine {
  const m = BULLET.exec(text);
  return m && m[0].length < text.length ? { text: text.slice(m[0].length), kind: 'li' } : { text, kind: 'p' };
}

/** Split a dump into lines; `linesIn` counts the non-blank input lines. */
export function splitDump(dump: string, opts: UnicodeOptions): { lines: DumpLine[]; linesIn: number } {
  const out: DumpLine[] = [];
  let group: string[] = [];
  let linesIn = 0;
  const flush = (): void => {
    if (group.length === 0) return;
    if (isHardWrapped(group)) out.push(toLine(group.join(' ')));
    else for (const l of group) out.push(toLine(l));
    group = [];
  };
  for (const raw of dump.split(LINE_BREAK)) {
    const line = normalizeText(raw, opts);
    if (line) {
      linesIn++;
      group.push(line);
    } else flush();
  }
  flush();
  return { lines: out, linesIn };
}
