/**
 * Writers the declared metadata leaves out, read from the page: a byline box
 * of two author elements where metadata names one, and a name standing alone
 * atop the story where metadata credits only the site. Used by
 * src/stages/normalize/bylines.ts.
 */
import { foldForMatching } from './arabic-fold.js';
import type { TextBlock } from '../../shared/types.js';
import type { Credits } from './bylines.js';

/**
 * A byline box whose text is just the names of the byline elements inside it
 * ("Ana Roe Tom Lund" = "Ana Roe" + "Tom Lund"), one of them every declared
 * person: all of those names, in page order. Metadata often lists only the
 * first or the last of two writers.
 */
export function boxedCoAuthors(people: string[], elements: readonly string[], group: (raws: readonly string[], fromText: boolean) => Credits): string[] | null {
  const keys = elements.map(foldForMatching);
  for (let box = 0; box < keys.length; box++) {
    for (let i = box + 1; i < keys.length; i++) {
      let joined = keys[i]!;
      for (let j = i + 1; j < keys.length && joined.length < keys[box]!.length; j++) {
        joined = `${joined} ${keys[j]}`;
        if (joined !== keys[box]) continue;
        const names = elements.slice(i, j + 1).map((e) => group([e], true).people);
        const found = names.every((n) => n.length === 1) ? names.map((n) => n[0]!) : [];
        if (found.length > 0 && people.every((p) => found.some((n) => foldForMatching(n) === foldForMatching(p)))) return found;
      }
    }
  }
  return null;
}

/**
 * Metadata credits the site or a desk, and a name stands alone atop the
 * story: that name is the writer, unless it shares a word with the credit
 * (the brand again, "Example Daily Digital").
 */
export function siteCreditedWriter(credits: readonly string[], alone: readonly string[]): string[] | null {
  const creditWords = new Set(credits.flatMap((c) => foldForMatching(c).split(' ')));
  const people = alone.filter((n) => !foldForMatching(n).split(' ').some((w) => creditWords.has(w)));
  return people.length > 0 ? people : null;
}

/** How far into the text a name standing alone is looked for. */
const NAME_LINE_BLOCKS = 4;
/** What may stand between names on a byline line: "/", "&", a comma, "and", «و». */
const NAME_JOINERS = new Set(['/', '&', ',', '،', 'and', 'und', 'et', 'y', 'و']);
/** Words of a name: capitalised, or in a script without case (Arabic); joined by NAME_JOINERS. */
const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}'’.-]*|[\p{Lo}\p{M}]+)$/u;

/** The first paragraph near the top that is only a name or names, 2 to 8 words, no digits or sentence marks: "Jane Roe", "JANE ROE/TOM LUND". */
export function nameLines(blocks: readonly TextBlock[]): string[] {
  for (const b of blocks.slice(0, NAME_LINE_BLOCKS)) {
    if (b.kind !== 'p' || b.text.length > 80 || /[\p{Nd}.!?:;,،"“”«»()|]/u.test(b.text)) continue;
    const words = b.text.replace(/\s*([/&])\s*/gu, ' $1 ').trim().split(/\s+/);
    if (words.length >= 2 && words.length <= 8 && words.every((w) => NAME_JOINERS.has(w) || NAME_WORD.test(w))) return [b.text.trim()];
  }
  return [];
}

/**
 * A folded line that is nothing but some of `names` (folded) and joiners:
 * the byline standing alone atop the story, which belongs in `authors`.
 */
export function onlyNames(key: string, names: readonly string[]): boolean {
  if (key.length > 160) return false;
  let rest = ` ${key.replace(/\s*([/&,،])\s*/gu, ' $1 ')} `;
  let named = false;
  for (const name of names) {
    if (!name) continue;
    const next = rest.split(` ${name} `).join(' ');
    if (next !== rest) named = true;
    rest = next;
  }
  return named && rest.trim().split(/\s+/).every((w) => w === '' || NAME_JOINERS.has(w));
}
