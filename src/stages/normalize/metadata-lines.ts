/**
 * Byline and dateline blocks ("By Jane Doe", «كتب: فلان», "Published: Monday,
 * 16 August 2004 - 08:30", «الأربعاء 16 أكتوبر 2024 - 08:30 ص») are metadata,
 * not story text. Word lists are data: config/rules/metadata-lines.json.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { asciiDigits, foldForMatching } from './arabic-fold.js';

const FileSchema = z.object({
  $comment: z.string().optional(),
  bylinePrefixes: z.array(z.string()),
  maxBylineWords: z.number().int().positive(),
  dateWords: z.array(z.string()),
  maxLeftoverWords: z.number().int().nonnegative(),
});

export interface MetadataLineRules {
  byline: RegExp;
  maxBylineWords: number;
  dateWords: Set<string>;
  maxLeftoverWords: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function loadMetadataLineRules(path: string | URL = new URL('../../../config/rules/metadata-lines.json', import.meta.url)): MetadataLineRules {
  const raw = FileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const prefixes = raw.bylinePrefixes.map((p) => escape(foldForMatching(p)));
  return {
    byline: new RegExp(`^(?:${prefixes.join('|')})(?:\\s|$)`),
    maxBylineWords: raw.maxBylineWords,
    dateWords: new Set(raw.dateWords.map(foldForMatching)),
    maxLeftoverWords: raw.maxLeftoverWords,
  };
}

/** A year or a numeric date must be present: "200 g sugar" is not a dateline. */
const HAS_DATE = /(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}/;

/** `folded` is foldForMatching(text), when the caller already has it. */
export function isMetadataLine(text: string, rules: MetadataLineRules, folded?: string): boolean {
  if (text.length > 200) return false;
  folded ??= foldForMatching(text); // digits folded to ASCII, punctuation stripped
  const words = folded.split(' ').filter(Boolean);
  if (words.length === 0) return false;
  if (rules.byline.test(folded) && words.length <= rules.maxBylineWords) return true;
  if (!HAS_DATE.test(asciiDigits(text))) return false;
  const leftover = words.filter((w) => !/^[0-9]+[a-z]{0,2}$/.test(w) && !rules.dateWords.has(w));
  return leftover.length <= rules.maxLeftoverWords && leftover.length < words.length / 2 + 1;
}
