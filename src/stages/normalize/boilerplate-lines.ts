/**
 * Drops stand-alone boilerplate lines ("Read also: …", «اقرأ أيضاً», "Share",
 * "All rights reserved") that survive DOM cleaning inside the article body.
 * The phrases are data (config/rules/phrases.json); every language's phrases
 * apply to every page, since pages mix languages.
 */
import { z } from 'zod';
import { parseRuleData, readJsonFile, ruleFilePath } from '../../config/rule-files.js';
import { foldForMatching } from './arabic-fold.js';
import { countSpaces } from './unicode.js';

const LangPhrasesSchema = z
  .object({
    line: z.array(z.string()),
    prefix: z.array(z.string()),
    suffix: z.array(z.string()).default([]),
  })
  .strict();

const PhrasesFileSchema = z.object({ $comment: z.string().optional() }).catchall(LangPhrasesSchema);

export type PhrasesFile = z.input<typeof PhrasesFileSchema>;

interface Affix {
  phrase: string; // folded
  /** The phrase with the space that joins it to its tail: "phrase " for a prefix, " phrase" for a suffix. */
  joined: string;
  words: number;
  /** The original block must have a separator (":" etc.) right after the phrase. */
  needsSeparator: boolean;
}

export interface PhraseRules {
  lines: Set<string>;
  /** Prefix phrases indexed by their first folded word. */
  prefixes: Map<string, Affix[]>;
  suffixes: Affix[];
  /** A key of more words matches no prefix or suffix: the most words of a phrase and its tail. */
  maxAffixWords: number;
  /** The longest of `lines`: a longer key is none of them. */
  maxLineChars: number;
}

/** Tail allowed after a prefix (or before a suffix): short, longer for specific phrases. */
const maxTailWords = (phraseWords: number): number => (phraseWords >= 3 ? 30 : 12);

const SEPARATOR = /\s*[:：|»›→•–—]|\s+-\s/u;
const LEADING_MARKS = /^[\s\p{P}\p{S}]+/u;
const NUMBER_TOKEN = /(?:^| )\d+(?= |$)/g;

function toAffix(raw: string, side: 'prefix' | 'suffix'): Affix | null {
  const needsSeparator = raw.trim().endsWith(':');
  const phrase = foldForMatching(raw);
  const joined = side === 'prefix' ? `${phrase} ` : ` ${phrase}`;
  return phrase ? { phrase, joined, words: phrase.split(' ').length, needsSeparator } : null;
}

export function compilePhraseRules(data: unknown, source = 'phrases'): PhraseRules {
  const languages = parseRuleData(PhrasesFileSchema, data, source);
  const rules: PhraseRules = { lines: new Set(), prefixes: new Map(), suffixes: [], maxAffixWords: 0, maxLineChars: 0 };
  for (const [key, lang] of Object.entries(languages)) {
    if (key === '$comment' || typeof lang === 'string' || !lang) continue;
    for (const p of lang.line) {
      const f = foldForMatching(p);
      if (f) rules.lines.add(f);
      rules.maxLineChars = Math.max(rules.maxLineChars, f.length);
    }
    for (const p of lang.prefix) {
      const a = toAffix(p, 'prefix');
      if (!a) continue;
      const first = a.phrase.split(' ')[0]!;
      const list = rules.prefixes.get(first) ?? [];
      if (!list.some((b) => b.phrase === a.phrase && b.needsSeparator === a.needsSeparator)) list.push(a);
      rules.prefixes.set(first, list);
    }
    for (const p of lang.suffix) {
      const a = toAffix(p, 'suffix');
      if (a && !rules.suffixes.some((b) => b.phrase === a.phrase)) rules.suffixes.push(a);
    }
  }
  for (const a of [...[...rules.prefixes.values()].flat(), ...rules.suffixes]) rules.maxAffixWords = Math.max(rules.maxAffixWords, a.words + maxTailWords(a.words));
  return rules;
}

/** Read and compile a phrases file (default: the bundled config/rules/phrases.json). */
export function loadPhraseRules(path: string | URL = ruleFilePath('', 'phrases.json')): PhraseRules {
  return compilePhraseRules(readJsonFile(path), String(path));
}

/** True when the original text has a separator right after the folded phrase. */
/**
 * Whether `key` has more than `max` characters that are neither ASCII digits
 * nor spaces: all of them stay when the number tokens go, so the key
 * without its numbers is longer than `max` too.
 */
function keptCharsExceed(key: string, max: number): boolean {
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c !== 0x20 && (c < 0x30 || c > 0x39) && ++n > max) return true;
  }
  return false;
}

function separatorFollows(text: string, phrase: string): boolean {
  const t = text.replace(LEADING_MARKS, ''); // "• Tags: …"
  const m = SEPARATOR.exec(t);
  return m !== null && foldForMatching(t.slice(0, m.index)) === phrase;
}

/**
 * Widget residue in any language: a media player's clock ("00:00", "1:05 / 3:42")
 * or a row of `|` / `•` separators left by an emptied menu or link bar.
 */
const WIDGET_LINE = /^\s*(?:\d{1,2}(?::\d{2}){1,2}(?:\s*\/\s*\d{1,2}(?::\d{2}){1,2})?|[|¦│•·\s]*[|¦│][|¦│•·\s]*)\s*$/u;
const MAX_WIDGET_CHARS = 40;

/**
 * Page residue in any language: a server warning printed into the page
 * ("Warning: … in /var/www/x.php on line 407"), or a download link that
 * gives its file type and size ("Report 2021 PDF | 38 KB").
 */
const SERVER_WARNING = /^(?:(?:PHP )?(?:Warning|Notice|Deprecated|Fatal error|Parse error|Strict Standards)):? .{0,300} in \/\S+ on line \d+\s*$/u;
const FILE_LINK = /(?:PDF|DOCX?|XLSX?|PPTX?|ZIP|ODT|RTF|MP3|MP4)\s*[|,(–-]?\s*\d+(?:[.,]\d+)?\s*[KMG]i?B\b/iu;
const MAX_RESIDUE_CHARS = 400;

/** Longer blocks can't be phrase + short tail; skip folding them. */
const MAX_CHARS = 1000;

/** `folded` is foldForMatching(text), when the caller already has it. */
export function isBoilerplateLine(text: string, rules: PhraseRules, folded?: string): boolean {
  if (text.length > MAX_CHARS) return false;
  if (text.length <= MAX_WIDGET_CHARS && WIDGET_LINE.test(text)) return true;
  if (text.length <= MAX_RESIDUE_CHARS && (SERVER_WARNING.test(text) || (countSpaces(text, 20) < 20 && FILE_LINK.test(text)))) return true;
  folded ??= foldForMatching(text);
  if (!folded) return false; // pure punctuation ("***") is a separator, not boilerplate
  // Keys longer than every listed line are not looked up (hashing a paragraph costs as much as reading it).
  if (folded.length <= rules.maxLineChars && rules.lines.has(folded)) return true;
  if (!keptCharsExceed(folded, rules.maxLineChars)) {
    const noNumbers = folded.replace(NUMBER_TOKEN, '').trim(); // "Comments (12)"
    if (noNumbers && rules.lines.has(noNumbers)) return true;
  }

  // A folded key is words joined by single spaces: count them without splitting, and only as far as a phrase could match.
  const words = countSpaces(folded, rules.maxAffixWords) + 1;
  if (words > rules.maxAffixWords) return false;
  const space = folded.indexOf(' ');
  const firstWord = space < 0 ? folded : folded.slice(0, space);
  for (const a of rules.prefixes.get(firstWord) ?? []) {
    if (words - a.words > maxTailWords(a.words)) continue;
    if (folded !== a.phrase && !folded.startsWith(a.joined)) continue;
    if (!a.needsSeparator || separatorFollows(text, a.phrase)) return true;
  }
  for (const a of rules.suffixes) {
    if (words - a.words > maxTailWords(a.words)) continue;
    if (folded === a.phrase || folded.endsWith(a.joined)) return true;
  }
  return false;
}
