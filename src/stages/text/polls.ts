/**
 * Poll blocks in a dump: an optional "Poll" label, a question, short answer
 * options, and vote / result lines ("Vote", "View results", "Yes 62%",
 * "1,204 votes"). A question followed by a short list is not enough: the block
 * must carry a poll word or at least two percentages, so a subheading and a
 * list in the story stay.
 */
import { type Line, isPercent, isPollWord } from './lines.js';
import type { TextRules } from './rules.js';

const MAX_OPTION_WORDS = 6;
const MIN_OPTIONS = 2;
/** A poll is a few lines; the cap also keeps the scan linear on odd input. */
const MAX_POLL_LINES = 16;

const isQuestion = (l: Line): boolean => /[?؟]["'”’»)\]]*$/u.test(l.text) && l.words <= 30;
const isOption = (l: Line): boolean => l.words > 0 && l.words <= MAX_OPTION_WORDS && !/[.…]$/u.test(l.text);

/** Indices of the lines that belong to polls. */
export function findPolls(lines: Line[], rules: TextRules): Set<number> {
  const out = new Set<number>();
  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    if (!isQuestion(first) && !isPollWord(first, rules)) {
      i++;
      continue;
    }
    let j = i + 1;
    let options = 0;
    let pollWords = isPollWord(first, rules) ? 1 : 0;
    let percents = 0;
    let questions = isQuestion(first) ? 1 : 0;
    // Once vote / result lines follow the options, a further short line is the story again.
    let closing = false;
    for (; j < lines.length && j - i < MAX_POLL_LINES; j++) {
      const l = lines[j]!;
      if (isPollWord(l, rules)) {
        pollWords++;
        if (options > 0) closing = true;
      } else if (isPercent(l)) {
        percents++;
        closing = true;
      } else if (isQuestion(l) && questions === 0 && options === 0) questions++; // after a "Poll" label
      else if (isOption(l) && !closing) options++;
      else break;
    }
    if (options + percents >= MIN_OPTIONS && (pollWords > 0 || percents >= MIN_OPTIONS)) {
      for (let k = i; k < j; k++) out.add(k);
      i = j;
    } else i++;
  }
  return out;
}
