/**
 * Byline and dateline blocks ("By Jane Doe", «كتب: فلان», "Published: Monday,
 * 16 August 2004 - 08:30", «الأربعاء 16 أكتوبر 2024 - 08:30 ص») are metadata,
 * not story text. Word lists are data: config/rules/metadata-lines.json.
 */
import { readRuleFile, ruleFilePath } from '../../config/rule-files.js';
import { z } from 'zod';
import { asciiDigits, foldForMatching } from './arabic-fold.js';
import { countSpaces, countWords } from './unicode.js';

const FileSchema = z.object({
  $comment: z.string().optional(),
  bylinePrefixes: z.array(z.string()),
  maxBylineWords: z.number().int().positive(),
  sourcePrefixes: z.array(z.string()).default([]),
  maxSourceWords: z.number().int().positive().default(8),
  dateWords: z.array(z.string()),
  maxLeftoverWords: z.number().int().nonnegative(),
  creditWords: z.array(z.string()).default([]),
  maxCreditNameWords: z.number().int().positive().default(6),
  captionLabels: z.array(z.string()).default([]),
  maxCaptionWords: z.number().int().positive().default(40),
});

export interface MetadataLineRules {
  byline: RegExp;
  maxBylineWords: number;
  /** "Source: Reuters", «المصدر: وكالات»; group 1 is what is credited. */
  source: RegExp | null;
  maxSourceWords: number;
  dateWords: Set<string>;
  maxLeftoverWords: number;
  /** "… Foto: Name" / "… photo by Name" at the end of a block; group 1 is the name. */
  credit: RegExp | null;
  maxCreditNameWords: number;
  /** "Abbildung 4:" at the start of a block. */
  captionLabel: RegExp | null;
  maxCaptionWords: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function loadMetadataLineRules(path: string | URL = ruleFilePath('', 'metadata-lines.json')): MetadataLineRules {
  const raw = readRuleFile(FileSchema, path);
  const prefixes = raw.bylinePrefixes.map((p) => escape(foldForMatching(p)));
  return {
    byline: new RegExp(`^(?:${prefixes.join('|')})(?:\\s|$)`),
    maxBylineWords: raw.maxBylineWords,
    source: raw.sourcePrefixes.length ? new RegExp(`^[(\\[]?\\s*(?:${raw.sourcePrefixes.map(escape).join('|')})\\s*[:：]\\s*([^:：]+?)[)\\].]?$`, 'iu') : null,
    maxSourceWords: raw.maxSourceWords,
    dateWords: new Set(raw.dateWords.map(foldForMatching)),
    maxLeftoverWords: raw.maxLeftoverWords,
    credit: raw.creditWords.length
      ? new RegExp(`(?:^|[\\s(|,.–—-])(?:${raw.creditWords.map(escape).join('|')})(?:\\s*[:：]|\\s+(?:by|von|par|por|di|de)\\s)\\s*([^:：]{1,80})$`, 'iu')
      : null,
    maxCreditNameWords: raw.maxCreditNameWords,
    captionLabel: raw.captionLabels.length ? new RegExp(`^(?:${raw.captionLabels.map(escape).join('|')})\\s*\\d*[a-z]?\\s*[:：]`, 'iu') : null,
    maxCaptionWords: raw.maxCaptionWords,
  };
}

const wordCount = countWords;
const COPYRIGHT = /(?:^|[\s|(])(?:©|\(c\))\s*([^©]{1,80})$/iu;

/** An image credit or caption: "… Foto: Jane Doe", "(Credit: Grist)", "… | © Getty Images", "Abbildung 4: …". */
/** No caption of maxCaptionWords words is longer than this many characters per word. */
const MAX_CHARS_PER_WORD = 25;

export function isCreditLine(text: string, rules: MetadataLineRules): boolean {
  if (text.length > rules.maxCaptionWords * MAX_CHARS_PER_WORD) return false; // cheap exit for long paragraphs
  if (wordCount(text, rules.maxCaptionWords) > rules.maxCaptionWords) return false;
  const t = text.trim().replace(/[)\]]+$/, '').trim();
  if (rules.captionLabel?.test(t)) return true;
  for (const m of [COPYRIGHT.exec(t), rules.credit?.exec(t) ?? null]) {
    const name = m?.[1]?.trim();
    if (name && wordCount(name) <= rules.maxCreditNameWords && !/[.!?]\s/.test(name)) return true;
  }
  return false;
}

/** What a short source line credits ("Source: Reuters" → "Reuters"), or null. */
export function sourceCredit(text: string, rules: MetadataLineRules): string | null {
  if (!rules.source || text.length > 200) return null;
  const t = text.trim();
  const credited = rules.source.exec(t)?.[1]?.trim();
  return credited && wordCount(t) <= rules.maxSourceWords ? credited : null;
}

/** A year or a numeric date must be present: "200 g sugar" is not a dateline. */
const HAS_DATE = /(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}/;

/** `folded` is foldForMatching(text), when the caller already has it. */
export function isMetadataLine(text: string, rules: MetadataLineRules, folded?: string): boolean {
  if (isCreditLine(text, rules) || sourceCredit(text, rules) !== null) return true;
  if (text.length > 200) return false;
  folded ??= foldForMatching(text); // digits folded to ASCII, punctuation stripped
  // A folded key is words joined by single spaces: count them without splitting.
  if (folded === '') return false;
  if (rules.byline.test(folded) && countSpaces(folded) < rules.maxBylineWords) return true;
  if (!HAS_DATE.test(asciiDigits(text))) return false;
  const words = folded.split(' ');
  const leftover = words.filter((w) => !/^[0-9]+[a-z]{0,2}$/.test(w) && !rules.dateWords.has(w));
  return leftover.length <= rules.maxLeftoverWords && leftover.length < words.length / 2 + 1;
}
