/**
 * Class/id hint classification: is an element's class or id a sign of
 * boilerplate (nav, comments, share bars...) or of article content?
 */
import type { Element } from 'domhandler';
import { PairMemo } from './dom.js';
import { isJsSpace } from '../normalize/index.js';
import type { CleanRules } from './rules.js';

export type Hint = 'strong-positive' | 'strong-negative' | 'negative' | 'positive' | 'neutral';

/** Split class/id tokens into words: "jeg_post-content mainBody" → jeg, post, content, main, body, plus whole tokens. */
function hintWords(raw: string): string[] {
  const words: string[] = [];
  for (const token of raw.split(/\s+/)) {
    if (!token) continue;
    words.push(token.toLowerCase());
    pushTokenWords(token, words);
  }
  return words;
}

const isSeparator = (c: number): boolean => c === 0x5f || c === 0x2d || c === 0x3a || c === 0x2e || c === 0x2f || isJsSpace(c); // _ - : . / \s
const isLowerAscii = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isUpperAscii = (c: number): boolean => c >= 0x41 && c <= 0x5a;

/**
 * A token's words, lower-cased, in one scan and without regexes (this runs on
 * every class string a page has): the words of
 * token.replace(/([a-z])([A-Z])/g, '$1 $2').split(/[\s_\-:./]+/), split at
 * separators and where a lower-case letter meets an upper-case one.
 */
function pushTokenWords(token: string, words: string[]): void {
  let start = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (isSeparator(c)) {
      if (i > start) words.push(token.slice(start, i).toLowerCase());
      start = i + 1;
    } else if (isUpperAscii(c) && i > start && isLowerAscii(token.charCodeAt(i - 1))) {
      words.push(token.slice(start, i).toLowerCase());
      start = i;
    }
  }
  if (token.length > start) words.push(token.slice(start).toLowerCase());
}

export function classifyHint(el: Element, rules: CleanRules): Hint {
  const cls = el.attribs['class'];
  const id = el.attribs['id'];
  // Most elements (p, a, li, span) have neither: no hint, and no memo traffic.
  if (cls === undefined && id === undefined) return 'neutral';
  return computeHint(el, cls ?? '', id ?? '', rules);
}

/** Heading ids are usually slugs of the heading text ("what-to-read-next"): words, not hints. */
const SLUG_ID = /^[^-_\s]+(?:[-_][^-_\s]+){2,}$/;
const isHeading = (el: Element): boolean => el.name.length === 2 && el.name[0] === 'h' && el.name[1]! >= '1' && el.name[1]! <= '6';

/**
 * Pages repeat the same class strings ("menu-item menu-item-type-post"), so
 * hints are memoized by class, then id (the hint reads "class id"), per rule
 * set: no string is built on a hit, and an element asked again (pruning, then
 * each density pass) costs two lookups.
 */
let hintMemo = { rules: null as CleanRules | null, memo: new PairMemo<Hint>() };

function computeHint(el: Element, cls: string, rawId: string, rules: CleanRules): Hint {
  const id = isHeading(el) && SLUG_ID.test(rawId) ? '' : rawId;
  if (hintMemo.rules !== rules) hintMemo = { rules, memo: new PairMemo() };
  const { memo } = hintMemo;
  return memo.get(cls, id) ?? memo.set(cls, id, hintOf(`${cls} ${id}`, rules));
}

/** BEM element ("c-story__byline--wide" → "byline") or CSS-module local name ("ArticleHeader_meta__R7bcA" → "meta"). */
function elementPart(token: string): string | null {
  const module = /^[A-Z][A-Za-z0-9]*_([A-Za-z0-9]+)__[A-Za-z0-9_-]{3,}$/.exec(token);
  if (module) return module[1]!;
  const i = token.lastIndexOf('__');
  return i > 0 ? token.slice(i + 2).split('--')[0]! || null : null;
}

/**
 * Hint words of one class token. The element part of a BEM / CSS-module name
 * says what the element is; when it carries a hint word, the block's words
 * ("story", "Article") don't count: c-story__byline is a byline.
 */
function tokenWords(token: string, rules: CleanRules): string[] {
  const part = elementPart(token);
  if (part) {
    const own = oneTokenWords(part);
    if (own.some((w) => rules.negativeWords.has(w) || rules.positiveWords.has(w))) return own;
  }
  return oneTokenWords(token);
}

/** hintWords of a token (or a part of one), which holds no whitespace: no split. */
function oneTokenWords(token: string): string[] {
  const words = [token.toLowerCase()];
  pushTokenWords(token, words);
  return words;
}

function hintOf(raw: string, rules: CleanRules): Hint {
  const s = raw.trim().toLowerCase();
  if (!s) return 'neutral';
  if (rules.strongPositivePattern.test(s)) return 'strong-positive';
  if (rules.negativePattern.test(s)) {
    // "entry themeform share": a content word in another token makes a boilerplate pattern only a weak sign.
    const others = raw.split(/\s+/).filter((token) => token && !rules.negativePattern.test(token));
    return hintWords(others.join(' ')).some((w) => rules.positiveWords.has(w)) ? 'negative' : 'strong-negative';
  }
  let negative = false;
  let positive = false;
  for (const token of raw.split(/\s+/)) {
    if (!token) continue;
    for (const w of tokenWords(token, rules)) {
      if (rules.negativeWords.has(w)) negative = true;
      else if (rules.positiveWords.has(w)) positive = true;
    }
  }
  if (negative && !positive) return 'negative';
  if (positive && !negative) return 'positive';
  return 'neutral';
}
