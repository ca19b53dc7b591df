/**
 * Rules for cleaning plain-text dumps: config/rules/plain-text.json, checked
 * with zod and compiled to folded phrase sets once per run.
 */
import { z } from 'zod';
import { parseRuleData, readJsonFile, ruleFilePath } from '../../config/rule-files.js';
import { foldForMatching } from '../normalize/index.js';

const count = z.number().int().nonnegative();
const phrases = z.array(z.string());

const FileSchema = z
  .object({
    $comment: z.string().optional(),
    /** A prose line ends like a sentence and has minWords words, or has longWords words whatever its end. */
    prose: z.object({ minWords: count, longWords: count }).strict(),
    run: z
      .object({
        /** Non-prose lines allowed between two prose lines of one run. */
        maxGap: count,
        /** A run before / after the main run joins it across at most this many non-prose lines… */
        maxGapBefore: count,
        maxGapAfter: count,
        /** …or whatever the distance when it holds this share of the main run's prose. */
        mergeShare: z.number().min(0).max(1),
        /** A tail marker only cuts when at least this much prose came before it. */
        minTailProseChars: count,
      })
      .strict(),
    /** Title: a heading-like line within maxDistance lines above the body. */
    title: z.object({ minWords: count, maxWords: count, maxDistance: count }).strict(),
    /** A headline-like line inside the body (minWords or more) sharing fewer than maxOverlap of its words with the body is unrelated. */
    headline: z.object({ minWords: count, maxOverlap: z.number().min(0).max(1) }).strict(),
    promoMaxWords: count,
    tailMarkers: phrases,
    linkLabels: phrases,
    commentForm: phrases,
    promo: phrases,
    pollWords: phrases,
    updatedWords: phrases,
  })
  .strict();

type RuleFile = z.infer<typeof FileSchema>;

export interface TextRules extends Pick<RuleFile, 'prose' | 'run' | 'title' | 'headline' | 'promoMaxWords'> {
  tailMarkers: Set<string>;
  linkLabels: Set<string>;
  commentForm: string[];
  promo: string[];
  pollWords: Set<string>;
  updatedWords: string[];
}

const foldAll = (list: string[]): string[] => [...new Set(list.map(foldForMatching).filter(Boolean))];

export function compileTextRules(data: unknown, source = 'plain-text rules'): TextRules {
  const r = parseRuleData(FileSchema, data, source);
  return {
    prose: r.prose,
    run: r.run,
    title: r.title,
    headline: r.headline,
    promoMaxWords: r.promoMaxWords,
    tailMarkers: new Set(foldAll(r.tailMarkers)),
    linkLabels: new Set(foldAll(r.linkLabels)),
    commentForm: foldAll(r.commentForm),
    promo: foldAll(r.promo),
    pollWords: new Set(foldAll(r.pollWords)),
    updatedWords: foldAll(r.updatedWords),
  };
}

/**
 * Load plain-text.json from `rulesDir`, or the bundled one when the
 * directory has none (a rules directory made for `extract` still works here).
 */
export function loadTextRules(rulesDir = ''): TextRules {
  const path = ruleFilePath(rulesDir, 'plain-text.json');
  return compileTextRules(readJsonFile(path), path);
}
