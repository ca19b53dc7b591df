/**
 * What one line of a dump looks like: prose or not, and which boilerplate
 * lists (config/rules/plain-text.json) it matches. All matching is on the
 * folded key, so spelling variants (hamza forms, case, punctuation) agree.
 */
import { asciiDigits, foldForMatching } from '../normalize/index.js';
import { type DumpLine, SENTENCE_END } from './blocks.js';
import type { TextRules } from './rules.js';

export interface Line extends DumpLine {
  /** foldForMatching(text). */
  key: string;
  words: number;
  /** Ends like a sentence (. ! ? … ؟, maybe followed by a closing quote). */
  sentence: boolean;
}

export function toLine(l: DumpLine): Line {
  const key = foldForMatching(l.text);
  return { ...l, key, words: key ? key.split(' ').length : 0, sentence: SENTENCE_END.test(l.text) };
}

/** Body text: a sentence of a few words, or a long line however it ends. */
export const isProseLine = (l: Line, r: TextRules): boolean =>
  (l.sentence && l.words >= r.prose.minWords) || l.words >= r.prose.longWords;

const NUMBER_TOKEN = /(?:^| )\d+(?= |$)/g;
/** "Comments (12)" → "comments". */
const withoutNumbers = (key: string): string => key.replace(NUMBER_TOKEN, '').trim();

const inSet = (set: Set<string>, key: string): boolean => set.has(key) || set.has(withoutNumbers(key));

/** "Comments", «مقالات ذات صلة»: the page's tail starts here. */
export const isTailMarker = (l: Line, r: TextRules): boolean => inSet(r.tailMarkers, l.key);

/** "Read also:", «اقرأ أيضا»: the next lines are links. */
export const isLinkLabel = (l: Line, r: TextRules): boolean => inSet(r.linkLabels, l.key);

const startsWithPhrase = (key: string, phrase: string): boolean => key === phrase || key.startsWith(phrase + ' ');
const containsPhrase = (key: string, phrase: string): boolean => ` ${key} `.includes(` ${phrase} `);

/** Comment-form text, or a short required-field label ("Name *"). */
export const isCommentForm = (l: Line, r: TextRules): boolean =>
  r.commentForm.some((p) => startsWithPhrase(l.key, p)) || (l.words > 0 && l.words <= 4 && /\*\s*$/.test(l.text));

/** "Follow us on Google News" and friends. */
export const isPromo = (l: Line, r: TextRules): boolean =>
  l.words > 0 && l.words <= r.promoMaxWords && r.promo.some((p) => containsPhrase(l.key, p));

/** "Vote", "View results", "1,204 votes", «عرض النتائج». */
export function isPollWord(l: Line, r: TextRules): boolean {
  if (l.words === 0 || l.words > 4) return false;
  if (inSet(r.pollWords, l.key)) return true;
  for (const w of r.pollWords) if (startsWithPhrase(l.key, w) && l.words <= w.split(' ').length + 1) return true;
  return false;
}

/** A poll result: "Yes 62%", «نعم ٦٢٪». */
export const isPercent = (l: Line): boolean => l.words > 0 && l.words <= 6 && /\d\s*[%٪]|[%٪]\s*\d/.test(asciiDigits(l.text));

// Light stemming, enough to compare vocabularies: Arabic clitics (و ف ب ك ل ال)
// and a few suffixes, an English plural -s. Folded input: ة is ه, أ/إ/آ are ا.
const AR_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل'];
const AR_SUFFIXES = ['هما', 'ها', 'هم', 'ات', 'ون', 'ين', 'ان', 'ه', 'ي'];
const ARABIC = /[\u0600-\u06FF]/;
const MIN_STEM = 3;

function stem(word: string): string {
  if (!ARABIC.test(word)) return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
  let w = word;
  const p = AR_PREFIXES.find((x) => w.startsWith(x) && w.length - x.length >= MIN_STEM);
  if (p) w = w.slice(p.length);
  const s = AR_SUFFIXES.find((x) => w.endsWith(x) && w.length - x.length >= MIN_STEM);
  if (s) w = w.slice(0, -s.length);
  return w;
}

/** Content-word stems of a folded key (short words and numbers left out). */
export function stems(key: string): string[] {
  return key
    .split(' ')
    .filter((w) => w.length >= MIN_STEM && !/^\d+$/.test(w))
    .map(stem);
}
