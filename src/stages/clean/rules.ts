/**
 * Loads the clean stage's rule data (config/rules/boilerplate.json) and the
 * per-site overrides (config/sites/*.json), validated and compiled once.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { compile } from 'css-select';
import type { Element } from 'domhandler';
import { NewscleanError } from '../../shared/errors.js';
import { type DateRules, loadDateRules } from '../normalize/index.js';

import { bundledSitesDir, parseRuleData, readJsonFile, readRuleFile, ruleFilePath } from '../../config/rule-files.js';

const RuleFileSchema = z.object({
  dropTags: z.array(z.string()),
  boilerplateTags: z.array(z.string()),
  boilerplateRoles: z.array(z.string()),
  captionTags: z.array(z.string()),
  negativeWords: z.array(z.string()),
  negativePatterns: z.array(z.string()),
  positiveWords: z.array(z.string()),
  strongPositivePatterns: z.array(z.string()),
  bodySelectors: z.array(z.string()).min(1),
  containerSelectors: z.array(z.string()),
  headingTags: z.array(z.string()),
  leadPatterns: z.array(z.string()).default([]),
  storyContainerPatterns: z.array(z.string()).default([]),
});

const SiteFileSchema = z
  .object({
    $comment: z.string().optional(),
    /** Host names this override applies to (a leading "www." is ignored). */
    hosts: z.array(z.string()).min(1),
    /** Selectors tried first for the article body. */
    body: z.array(z.string()).default([]),
    /** Selectors removed before extraction. */
    remove: z.array(z.string()).default([]),
  })
  .strict();

/** A CSS selector compiled once at load time. */
export interface Matcher {
  selector: string;
  test: (el: Element) => boolean;
}

export type SiteRule = Omit<z.infer<typeof SiteFileSchema>, 'body' | 'remove'> & { file: string; body: Matcher[]; remove: Matcher[] };

function compileSelectors(selectors: string[], where: string): Matcher[] {
  return selectors.map((selector) => {
    try {
      return { selector, test: compile<Element, Element>(selector) };
    } catch (err) {
      throw new NewscleanError('CONFIG_INVALID', `${where}: invalid selector ${JSON.stringify(selector)}: ${(err as Error).message}`, { cause: err });
    }
  });
}

export interface CleanRules {
  dropTags: Set<string>;
  boilerplateTags: Set<string>;
  boilerplateRoles: Set<string>;
  captionTags: Set<string>;
  headingTags: Set<string>;
  negativeWords: Set<string>;
  positiveWords: Set<string>;
  negativePattern: RegExp;
  strongPositivePattern: RegExp;
  /** Class/id of a standfirst outside the body element. */
  leadPattern: RegExp;
  /** Class of an element that wraps one story (headline, lead and body). */
  storyContainerPattern: RegExp;
  bodySelectors: Matcher[];
  containerSelectors: Matcher[];
  sites: SiteRule[];
  /** Date meta keys and class hints (dates.json), shared with the normalize stage. */
  dates: DateRules;
}

const alternation = (patterns: string[]): RegExp =>
  patterns.length ? new RegExp(patterns.join('|'), 'i') : /(?!)/;

export function loadSiteRules(sitesDir: string): SiteRule[] {
  if (!existsSync(sitesDir)) return [];
  return readdirSync(sitesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(sitesDir, f);
      const site = parseRuleData(SiteFileSchema, readJsonFile(path), path);
      return { ...site, file: f, body: compileSelectors(site.body, `${path}: body`), remove: compileSelectors(site.remove, `${path}: remove`) };
    });
}

export function loadCleanRules(opts: { rulesDir?: string; sitesDir?: string } = {}): CleanRules {
  const path = ruleFilePath(opts.rulesDir, 'boilerplate.json');
  const raw = readRuleFile(RuleFileSchema, path);
  return {
    dropTags: new Set(raw.dropTags),
    boilerplateTags: new Set(raw.boilerplateTags),
    boilerplateRoles: new Set(raw.boilerplateRoles),
    captionTags: new Set(raw.captionTags),
    headingTags: new Set(raw.headingTags),
    negativeWords: new Set(raw.negativeWords),
    positiveWords: new Set(raw.positiveWords),
    negativePattern: alternation(raw.negativePatterns),
    strongPositivePattern: alternation(raw.strongPositivePatterns),
    leadPattern: alternation(raw.leadPatterns),
    storyContainerPattern: alternation(raw.storyContainerPatterns),
    bodySelectors: compileSelectors(raw.bodySelectors, `${path}: bodySelectors`),
    containerSelectors: compileSelectors(raw.containerSelectors, `${path}: containerSelectors`),
    sites: loadSiteRules(opts.sitesDir || bundledSitesDir),
    dates: loadDateRules(ruleFilePath(opts.rulesDir, 'dates.json')),
  };
}

/** The site override for a host, if any. */
export function siteRuleFor(rules: CleanRules, host: string | null): SiteRule | null {
  if (!host) return null;
  const h = host.toLowerCase().replace(/^www\./, '');
  return rules.sites.find((s) => s.hosts.some((x) => x.toLowerCase().replace(/^www\./, '') === h)) ?? null;
}
