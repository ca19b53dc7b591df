/**
 * Authors and source agency from the page's bylines: declared metadata
 * (JSON-LD, meta, rel/itemprop=author), byline elements, byline lines in the
 * text («كتب: …», "By …") and an agency dateline ("WASHINGTON (Reuters) -").
 * Names are cleaned of prefixes, dates, job titles and site names; agencies
 * («وكالات», "Reuters", «أ ف ب») go to source_agency, never to authors.
 * Agency names and job-title words are data: config/rules/bylines.json.
 */
import { readRuleFile, ruleFilePath } from '../../config/rule-files.js';
import { z } from 'zod';
import { foldForMatching } from './arabic-fold.js';
import type { MetadataLineRules } from './metadata-lines.js';
import type { TextBlock } from '../../shared/types.js';

const FileSchema = z.object({
  $comment: z.string().optional(),
  agencies: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string().min(1)).min(1) })),
  roleWords: z.array(z.string().min(1)),
});

export interface BylineRules {
  /** Folded alias → the agency's name. */
  agencies: Map<string, string>;
  /** Folded job-title words and phrases. */
  roleWords: string[];
}

export function loadBylineRules(path: string | URL = ruleFilePath('', 'bylines.json')): BylineRules {
  const raw = readRuleFile(FileSchema, path);
  const agencies = new Map<string, string>();
  for (const a of raw.agencies) for (const alias of [a.name, ...a.aliases]) agencies.set(foldForMatching(alias), a.name);
  return { agencies, roleWords: raw.roleWords.map(foldForMatching).filter(Boolean) };
}

let bundled: BylineRules | undefined;
/** The bundled rules, read and validated once. */
export const bundledBylineRules = (): BylineRules => (bundled ??= loadBylineRules());

const AUTHOR_PREFIX =
  /^(?:(?:(?:written|posted|reported|story|reporting|words|text|article)\s+by|by)|(?:(?:geschrieben|erstellt|verfasst|artikel|ein\s+beitrag|beitrag|text)\s*)?von(?!\s+(?:der|dem|den)\s)|(?:écrit|publié)\s+par|par|(?:escrito|publicado)\s+por|por|author|autor|autorin|auteur|door|كتب|كتبت|بقلم|بواسطة|إعداد|اعداد|تحرير)(?:\s*[:：\-–—]\s*|\s+|$)/iu;
/** A prefix glued to the name by markup with no space ("vonElisa Roe", "AuthorJane Roe"); case-sensitive on purpose. */
const GLUED_PREFIX = /^(?:(?:[Gg]eschrieben|[Ee]rstellt|[Vv]erfasst|[Bb]eitrag)\s*)?(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Aa]uthor|[Aa]utor)(?=\p{Lu}\p{Ll})/u;
/** Between names: "and", "&", commas (Latin and Arabic), « و ». */
const NAME_SEPARATOR = /\s+(?:and|und|et|y)\s+|\s*[,،&]\s*|\s+و\s+/iu;
/** Between byline parts: name, agency, job title, date ("Jane Roe | Reuters", «أحمد علي - وكالات»). */
const PART_SEPARATOR = /\s*[|;؛•·/]\s*|\s+[-–—]\s+|\s*[,،]\s*/u;
/** "… Edited by Y", "Reporting by X; Editing by Y": what follows is not authorship. */
const NOT_AUTHORS_TAIL = /\s*[;,]?\s+(?:(?:edited|editing|photos?|photographs|illustrations?|graphics|translated|translation|fact-checked)\s+by|تحرير)\s.*$/iu;
/** "(avec X et Y)", "(with X)": co-authors in brackets. */
const WITH_GROUP = /\s*\(\s*(?:avec|with|mit|con|مع)\s+([^()]+)\)/giu;
const PAREN_GROUP = /\(([^()]*)\)/gu;
const LOOKS_LIKE_URL = /^(?:https?:\/\/|www\.)|\/|\.(?:com|net|org|info)\b|@/i;
const MAX_AUTHORS = 10;
const MAX_NAME_WORDS = 6;

const oneLine = (s: string | null | undefined): string => s?.replace(/\s+/g, ' ').trim() ?? '';
const stripPrefix = (s: string): string => s.replace(AUTHOR_PREFIX, '').replace(GLUED_PREFIX, '').trim();
const hasWord = (folded: string, word: string): boolean => ` ${folded} `.includes(` ${word} `);

/** Split "A B and C D" / "A B، C D" only when every part looks like a full name ("Roe, Jane" stays whole). */
function splitNames(s: string): string[] {
  const parts = s.split(NAME_SEPARATOR).map(stripPrefix);
  const nameLike = (p: string): boolean => {
    const n = p.split(/\s+/).length;
    return p.length > 0 && n >= 2 && n <= 5;
  };
  return parts.length > 1 && parts.every(nameLike) ? parts : [s];
}

/** A part cut at its first digit, trailing date words dropped: "Nathan Willis March 25" → "Nathan Willis". */
function withoutDate(part: string, dateWords: ReadonlySet<string>): string {
  const words = part.replace(/[\p{Nd}].*$/u, '').trim().split(/\s+/);
  while (words.length > 0 && dateWords.has(foldForMatching(words[words.length - 1]!))) words.pop();
  return words.join(' ').replace(/[\s,،:;\-–—|]+$/u, '');
}

interface ParsedByline {
  names: string[];
  agencies: string[];
}

/**
 * One raw byline → names and agencies. From page text (`fromText`), a
 * one-word part is a dateline or a label ("By Erin Cole, CAIRO"), not a name.
 */
function parseByline(raw: string, rules: BylineRules, dateWords: ReadonlySet<string>, fromText: boolean): ParsedByline {
  const agencies: string[] = [];
  const agencyOf = (s: string): string | undefined => rules.agencies.get(foldForMatching(s));
  if (/^(?:https?:\/\/|www\.)\S*$/i.test(raw.trim())) return { names: [], agencies };
  let s = stripPrefix(oneLine(raw).replace(NOT_AUTHORS_TAIL, '')).replace(WITH_GROUP, ', $1');
  // Brackets holding an agency or a URL are byline parts; others ("Richard (R.J.) Eskow") are kept.
  s = s.replace(PAREN_GROUP, (whole, inner: string) => {
    const agency = agencyOf(inner);
    if (agency) agencies.push(agency);
    return agency || LOOKS_LIKE_URL.test(inner.trim()) ? ' | ' : whole;
  });
  const kept: string[] = [];
  for (const piece of s.split(PART_SEPARATOR)) {
    const part = withoutDate(stripPrefix(piece), dateWords);
    if (!part) continue;
    const agency = agencyOf(part);
    if (agency) agencies.push(agency);
    else if (fromText && !/\s/.test(part)) continue;
    else if (!rules.roleWords.some((w) => hasWord(foldForMatching(part), w))) kept.push(part);
  }
  return { names: kept.length ? splitNames(kept.join(', ')) : [], agencies };
}

/** A name read from page text, not declared metadata: two to six words ("CAIRO" is a dateline), no sentence, not lower-case. */
function looksLikeName(name: string): boolean {
  const words = name.split(/\s+/).length;
  return words >= 2 && words <= MAX_NAME_WORDS && !/[.!?؟]\s|[:"“”]/u.test(name) && !/^\p{Ll}/u.test(name);
}

export interface BylineSources {
  /** Declared metadata authors (JSON-LD, meta, rel/itemprop=author), already one source. */
  declared: string[];
  /** Text of byline elements (class/id "byline", "author"…), page order. */
  elements?: string[];
  /** Byline lines from the start of the article text. */
  lines?: string[];
  /** What source lines credit ("Reuters", «وكالات»): agencies only, never authors. */
  credits?: string[];
  /** The article's first paragraphs, for an agency dateline. */
  lead?: string[];
}

export interface Bylines {
  authors: string[];
  sourceAgency: string | null;
}

// "WASHINGTON (Reuters) -", «بيروت (أ ف ب) -», "(AFP) –": a place of at most four words, then the agency in brackets.
const DATELINE = /^(?:[^\s()]+(?:\s+[^\s()]+){0,3}\s*[-–—,]?\s*)?\(([^()]{1,40})\)\s*[-–—:،]/u;

/**
 * Authors from the first source that yields names (declared metadata, then
 * the first byline element that names someone, then the first byline line),
 * cleaned; the source agency from any of them, else from a dateline. `names` are site names: never authors.
 */
export function readBylines(sources: BylineSources, names: (string | null)[], rules: BylineRules = bundledBylineRules(), dateWords: ReadonlySet<string> = new Set()): Bylines {
  const siteKeys = new Set(names.filter((n): n is string => !!n).map(foldForMatching));
  let authors: string[] = [];
  let agency: string | null = null;
  const groups: [string[], boolean][] = [[sources.declared, false], [sources.elements ?? [], true], [sources.lines ?? [], true]];
  for (const [raws, fromText] of groups) {
    const found: string[] = [];
    const seen = new Set<string>();
    for (const raw of raws) {
      const parsed = parseByline(raw, rules, dateWords, fromText);
      agency ??= parsed.agencies[0] ?? null;
      // From page text, the first byline that names someone: later ones belong to other stories.
      if (fromText && found.length > 0) continue;
      for (const name of parsed.names) {
        const key = foldForMatching(name);
        if (!key || seen.has(key) || siteKeys.has(key) || LOOKS_LIKE_URL.test(name) || name.length > 100) continue;
        if (fromText && !looksLikeName(name)) continue;
        seen.add(key);
        if (found.length < MAX_AUTHORS) found.push(name);
      }
    }
    if (authors.length === 0) authors = found;
  }
  for (const credit of sources.credits ?? []) agency ??= parseByline(credit, rules, dateWords, true).agencies[0] ?? null;
  if (!agency) {
    for (const p of sources.lead ?? []) {
      const inner = DATELINE.exec(p.trim())?.[1];
      agency = (inner && rules.agencies.get(foldForMatching(inner))) || null;
      if (agency) break;
    }
  }
  return { authors, sourceAgency: agency };
}

/** How far into the text a byline line is looked for. */
const BYLINE_LINE_BLOCKS = 8;

/** Short blocks near the top that start like a byline ("By …", «كتب: …»); the normalize stage drops them from the text. */
export function bylineLines(blocks: readonly TextBlock[], rules: MetadataLineRules | undefined): string[] {
  if (!rules) return [];
  return blocks
    .slice(0, BYLINE_LINE_BLOCKS)
    .map((b) => b.text.replace(/\s+/g, ' ').trim())
    .filter((t) => t.length <= 200 && t.split(' ').length <= rules.maxBylineWords && rules.byline.test(foldForMatching(t)));
}

/** Declared author names, cleaned (agencies and site names removed). */
export function cleanAuthors(authors: string[], siteName: string | null, rules?: BylineRules): string[] {
  return readBylines({ declared: authors }, [siteName], rules).authors;
}
