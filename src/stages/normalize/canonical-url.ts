/**
 * The click-tracking parameter list (config/rules/url-params.json), read and
 * validated. What the list means, and the canonical URL form the record id
 * derives from, are in src/shared/url.ts (compileTrackingRules, canonicalizeUrl).
 */
import { z } from 'zod';
import { parseRuleData, readJsonFile, ruleFilePath } from '../../config/rule-files.js';
import { type UrlRules, compileTrackingRules } from '../../shared/url.js';

export { type UrlRules, canonicalizeUrl } from '../../shared/url.js';

const FileSchema = z.object({ $comment: z.string().optional(), tracking: z.array(z.string()) });

export function compileUrlRules(data: unknown, source = 'url-params'): UrlRules {
  const { tracking } = parseRuleData(FileSchema, data, source);
  return compileTrackingRules(tracking);
}

export function loadUrlRules(path: string | URL = ruleFilePath('', 'url-params.json')): UrlRules {
  return compileUrlRules(readJsonFile(path), String(path));
}
