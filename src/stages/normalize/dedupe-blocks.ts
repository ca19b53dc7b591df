/**
 * Removes repeated paragraphs: a body captured twice (print + screen
 * versions, AMP copies, lazy-load duplicates) or one paragraph repeated.
 * Comparison is on folded text, so spacing/punctuation/diacritic variants
 * count as repeats. One pass with a hash map: linear in the input size.
 */
import { foldForMatching } from './arabic-fold.js';

/** Paragraphs shorter than this may repeat on their own ("***", a short quote). */
const SHORT_WORDS = 4;
/** A repeated run must carry at least this much text to be dropped as a copy. */
const MIN_RUN_WORDS = 8;
/** A fuzzy (glued / truncated) match needs a fragment at least this long. */
const MIN_FRAGMENT_WORDS = 3;

const wordCount = (key: string): number => (key ? key.split(' ').length : 0);

/** The second copy's paragraph was cut off: it is a prefix of the original. */
const isTruncated = (copy: string, original: string): boolean =>
  copy.length > 0 && copy !== original && original.startsWith(copy);

/** One of the two is the other with extra text in front (e.g. the title glued on). */
function isGlued(copy: string, original: string): boolean {
  if (copy === original) return false;
  const [short, long] = copy.length < original.length ? [copy, original] : [original, copy];
  return wordCount(short) >= MIN_FRAGMENT_WORDS && long.endsWith(short);
}

/** `folded[i]`, when given, is foldForMatching(paragraphs[i]). */
export function dedupeBlocks(paragraphs: string[], folded?: string[]): string[] {
  const n = paragraphs.length;
  // Paragraphs that fold to nothing ("***", "—") are keyed by their raw text.
  const keys = paragraphs.map((p, i) => (folded?.[i] ?? foldForMatching(p)) || p.trim());
  const firstSeen = new Map<string, number>();
  const drop = new Uint8Array(n);

  let i = 0;
  while (i < n) {
    const key = keys[i]!;
    const j = firstSeen.get(key);
    if (j === undefined) {
      firstSeen.set(key, i);
      i++;
      continue;
    }
    // Extend the exact match i↔j forward, never reading the copy as its own source.
    let len = 1;
    while (i + len < n && j + len < i && keys[i + len] === keys[j + len]) len++;
    const tail = i + len;
    if (tail < n && j + len < i && isTruncated(keys[tail]!, keys[j + len]!)) len++;
    // The paragraph just before may be the run's first paragraph, glued to something.
    const glued = i - 1 > j && j > 0 && drop[i - 1] === 0 && isGlued(keys[i - 1]!, keys[j - 1]!);
    const start = glued ? i - 1 : i;
    const end = i + len;

    let words = 0;
    for (let k = start; k < end; k++) words += wordCount(keys[k]!);
    if (end - start >= 2 && words >= MIN_RUN_WORDS) {
      drop.fill(1, start, end);
      i = end;
    } else {
      if (wordCount(key) >= SHORT_WORDS) drop[i] = 1;
      i++;
    }
  }
  return paragraphs.filter((_, k) => drop[k] === 0);
}
