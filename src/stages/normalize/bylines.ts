/**
 * Authors and source agency from the page's bylines: declared metadata
 * (JSON-LD, meta, rel/itemprop=author), byline elements, byline lines in the
 * text («كتب: …», "By …") and an agency dateline ("WASHINGTON (Reuters) -").
 * Names are cleaned of prefixes, dates, job titles and page controls; agencies
 * («وكالات», "Reuters", «أ ف ب») go to source_agency, and to authors only as
 * a credit: a whole entry of the declared list, or the only credit when the
 * page names no person (then the site or desk too: "Example Daily").
 * Agency names, job-title and page-control words are data: config/rules/bylines.json.
 */
import { readRuleFile, ruleFilePath } from '../../config/rule-files.js';
import { z } from 'zod';
import { foldForMatching } from './arabic-fold.js';
import { countWords } from './unicode.js';
import type { MetadataLineRules } from './metadata-lines.js';
import type { TextBlock } from '../../shared/types.js';
import { boxedCoAuthors, siteCreditedWriter } from './co-authors.js';

export { nameLines } from './co-authors.js';

const FileSchema = z.object({
  $comment: z.string().optional(),
  agencies: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string().min(1)).min(1) })),
  roleWords: z.array(z.string().min(1)),
  uiWords: z.array(z.string().min(1)).default([]),
  nameRoles: z.array(z.string().min(1)).default([]),
});

export interface BylineRules {
  /** Folded alias → the agency's name. */
  agencies: Map<string, string>;
  /** Folded job-title words and phrases. */
  roleWords: string[];
  /** Folded words of page controls and credits that are never part of a name ("Follow", "Getty Images"). */
  uiWords: string[];
  /** Folded job titles written right after or before a person's name, glued in CJK scripts: "신현주 기자" is 신현주. */
  nameRoles: string[];
}

export function loadBylineRules(path: string | URL = ruleFilePath('', 'bylines.json')): BylineRules {
  const raw = readRuleFile(FileSchema, path);
  const agencies = new Map<string, string>();
  for (const a of raw.agencies) for (const alias of [a.name, ...a.aliases]) agencies.set(foldForMatching(alias), a.name);
  const fold = (words: string[]) => words.map(foldForMatching).filter(Boolean);
  return { agencies, roleWords: fold(raw.roleWords), uiWords: fold(raw.uiWords), nameRoles: fold(raw.nameRoles) };
}

let bundled: BylineRules | undefined;
/** The bundled rules, read and validated once. */
export const bundledBylineRules = (): BylineRules => (bundled ??= loadBylineRules());

const AUTHOR_PREFIX =
  /^(?:(?:(?:written|posted|published|reported|story|reporting|words|text|article)\s+by|(?:view|see|show)\s+all\s+(?:posts|articles|stories)\s+(?:by|of)|by)|(?:(?:geschrieben|erstellt|verfasst|artikel|ein\s+beitrag|beitrag|text)\s*)?von(?!\s+(?:der|dem|den)\s)|(?:écrit|publié)\s+par|mit\s+material\s+(?:von|der|des)|with\s+(?:additional\s+)?(?:reporting|material)\s+(?:by|from)|quelle|source|par|(?:escrito|publicado)\s+por|por|author|autor|autorin|auteur|door|كتب|كتبت|بقلم|بواسطة|المصدر|الكاتبة|الكاتب|المؤلف|إعداد|اعداد|تحرير)(?:\s*[:：\-–—]\s*|\s+|$)/iu;
/** A prefix glued to the name by markup with no space ("vonElisa Roe", "AuthorJane Roe"); case-sensitive on purpose. */
const GLUED_PREFIX = /^(?:(?:[Gg]eschrieben|[Ee]rstellt|[Vv]erfasst|[Bb]eitrag)\s*)?(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Aa]uthor|[Aa]utor)(?=\p{Lu}\p{Ll})/u;
/** Between names: "and", "&", commas (Latin and Arabic), « و ». */
const NAME_SEPARATOR = /\s+(?:and|und|et|y)\s+|\s*[,،&]\s*|\s+و\s+/iu;
/** Between byline parts: name, agency, job title, date ("Jane Roe | Reuters", «أحمد علي - وكالات»). */
const PART_SEPARATOR = /\s*[|;؛•·/]\s*|\s+[-–—]\s+|\s*[,،]\s*/u;
/** "… Edited by Y", "Reporting by X; Editing by Y": what follows is not authorship. */
const NOT_AUTHORS_TAIL = /\s*[;,]?\s+(?:(?:edited|editing|photos?|photographs|illustrations?|graphics|translated|translation|fact-checked)\s+by|تحرير)\s.*$/iu;
/** "(avec X et Y)", "(with X)": co-authors in brackets. */
/** A byline element that names the editor, not the writer: "Editor: Jane Roe", «تحرير: …». */
const EDITOR_LABEL = /^(?:(?:managing\s+|copy\s+)?editor|edited\s+by|redaktur|redakteur(?:in)?|bearbeitet\s+von|éditeur|editora?|penyunting|محرر|تحرير)\s*[:：]\s*/iu;
const WITH_GROUP = /\s*\(\s*(?:avec|with|mit|con|مع)\s+([^()]+)\)/giu;
const PAREN_GROUP = /\(([^()]*)\)/gu;
/** A capitalised word of four letters or more glued to the next capitalised word; "McDonald", "DeShawn", "MacKenzie" are left whole. */
const GLUED_WORDS = /(\p{Lu}\p{Ll}{3,})(?=\p{Lu}\p{Ll})/gu;
const HAS_GLUED_WORDS = new RegExp(GLUED_WORDS.source, 'u');
const LOOKS_LIKE_URL = /^(?:https?:\/\/|www\.)|\/|\.(?:com|net|org|info)\b|@/i;
const MAX_AUTHORS = 10;
const MAX_NAME_WORDS = 6;

const oneLine = (s: string | null | undefined): string => s?.replace(/\s+/g, ' ').trim() ?? '';
const stripPrefix = (s: string): string => s.replace(AUTHOR_PREFIX, '').replace(GLUED_PREFIX, '').trim();
/** Whether the folded text holds any of the folded words (or phrases) as whole words. */
function hasAnyWord(folded: string, words: readonly string[]): boolean {
  // ` ${folded} `.includes(` ${w} `), without building either string: an occurrence with a space or an end on each side.
  for (const w of words) {
    for (let i = folded.indexOf(w); i >= 0; i = folded.indexOf(w, i + 1)) {
      const end = i + w.length;
      if ((i === 0 || folded.charCodeAt(i - 1) === 0x20) && (end === folded.length || folded.charCodeAt(end) === 0x20)) return true;
    }
  }
  return false;
}

/** Split "A B and C D" / "A B، C D" only when every part looks like a full name ("Roe, Jane" stays whole). */
function splitNames(s: string): string[] {
  const parts = s.split(NAME_SEPARATOR).map(stripPrefix);
  const words = parts.map((p) => (p ? p.split(/\s+/).length : 0));
  const full = (n: number) => n >= 2 && n <= 5;
  // A last one-word part only after two full names ("A B und C D, Nairobi"); "Roe, Jane", "Verlag GmbH, Nürnberg, Germany" stay whole.
  const split = parts.length > 1 && (words.every(full) || (parts.length > 2 && words.slice(0, -1).every(full) && words.at(-1) === 1));
  return split ? parts : [s];
}

/** A part cut at its first digit, trailing date words dropped: "Nathan Willis March 25" → "Nathan Willis". */
function withoutDate(part: string, dateWords: ReadonlySet<string>): string {
  const words = part.replace(/[\p{Nd}].*$/u, '').trim().split(/\s+/);
  while (words.length > 0 && dateWords.has(foldForMatching(words[words.length - 1]!))) words.pop();
  return words.join(' ').replace(/[\s,،:;\-–—|]+$/u, '');
}

interface ParsedByline {
  names: string[];
  /** Canonical names of the agencies credited. */
  agencies: string[];
  /** The agency parts as written ("The Associated Press"). */
  agencyParts: string[];
  /** How many parts were job titles. */
  roles: number;
}

/**
 * One raw byline → names and agencies. From page text (`fromText`), a
 * one-word part is a dateline or a label ("By Erin Cole, CAIRO"), not a name.
 */
function parseByline(raw: string, rules: BylineRules, dateWords: ReadonlySet<string>, fromText: boolean): ParsedByline {
  const agencies: string[] = [];
  const agencyParts: string[] = [];
  let roles = 0;
  const agencyOf = (s: string): string | undefined => rules.agencies.get(foldForMatching(s));
  if (/^(?:https?:\/\/|www\.)\S*$/i.test(raw.trim())) return { names: [], agencies, agencyParts, roles };
  let s = stripPrefix(oneLine(raw).replace(NOT_AUTHORS_TAIL, '')).replace(WITH_GROUP, ', $1');
  // Brackets holding an agency or a URL are byline parts; others ("Richard (R.J.) Eskow") are kept.
  s = s.replace(PAREN_GROUP, (whole, inner: string) => {
    const agency = agencyOf(inner);
    if (agency) {
      agencies.push(agency);
      agencyParts.push(inner.trim());
    }
    return agency || LOOKS_LIKE_URL.test(inner.trim()) ? ' | ' : whole;
  });
  const kept: string[] = [];
  for (const piece of s.split(PART_SEPARATOR)) {
    const part = withoutDate(stripPrefix(piece), dateWords);
    if (!part) continue;
    // The part folded once for every check below.
    const key = foldForMatching(part);
    const agency = rules.agencies.get(key);
    if (agency) {
      agencies.push(agency);
      agencyParts.push(part);
      continue;
    }
    if (fromText && !/\s/.test(part) && !isCjkName(part)) continue;
    const named = nameBesideRole(part, key, rules);
    if (named) kept.push(named);
    else if (hasAnyWord(key, rules.roleWords)) roles++;
    else kept.push(part);
  }
  return { names: kept.length ? splitNames(kept.join(', ')) : [], agencies, agencyParts, roles };
}

const HAN = /^\p{Script=Han}+$/u;
/** "Correspondent: Jane Roe", «المراسل: سامي العلي»: a job-title label, then the name. */
const ROLE_LABEL = /^([^:：]{1,30}?)\s*[:：]\s*(\S.*)$/u;

/**
 * The name in a part that is a name and its job title: after a label of
 * role words ("Reporter: Jane Roe"), or beside a name role ("신현주 기자",
 * "山田太郎記者", "记者张伟"); null when the part is not such a pair.
 */
function nameBesideRole(part: string, folded: string, rules: BylineRules): string | null {
  const label = ROLE_LABEL.exec(part);
  if (label && onlyRoleWords(label[1]!, rules)) return label[2]!.trim();
  for (const role of rules.nameRoles) {
    // Han titles may be glued to the name; Hangul ones are spaced ("사진기자" is a photographer, not 사진).
    const glued = HAN.test(role);
    let rest: string | null = null;
    if (folded.endsWith(glued ? role : ` ${role}`)) rest = part.slice(0, part.length - role.length).trim();
    else if (folded.startsWith(glued ? role : `${role} `)) rest = part.slice(role.length).trim();
    if (rest && (isCjkName(rest) || (/\s/.test(rest) && rest.split(/\s+/).length <= 4))) return rest;
  }
  return null;
}

/** Han, kana or Hangul: names written without spaces ("松岡大地", "신현주"). */
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;
/** A one-token CJK name: two to six such characters. */
const isCjkName = (s: string): boolean => s.length >= 2 && s.length <= 6 && CJK.test(s);

/** A name read from page text, not declared metadata: two to six words ("CAIRO" is a dateline), no sentence, not lower-case. */
function looksLikeName(name: string): boolean {
  const words = name.split(/\s+/).length;
  if (words === 1) return isCjkName(name);
  return words <= MAX_NAME_WORDS && !/[.!?؟]\s|[:"“”]/u.test(name) && !/^\p{Ll}/u.test(name);
}

/** Nothing but job-title words: "Redaktion", "Staff Writer", "admin". */
function onlyRoleWords(s: string, rules: BylineRules): boolean {
  let rest = ` ${foldForMatching(s)} `;
  for (const w of rules.roleWords) rest = rest.split(` ${w} `).join('  ');
  return rest.trim() === '';
}

/** Never a name, from any source: a label ("Image: …"), a bracketed credit, page controls ("Follow", "Twitter Facebook"). */
function isNotAName(name: string, rules: BylineRules): boolean {
  if (/[:：@]|^[(\[].*[)\]]$/u.test(name)) return true;
  const folded = foldForMatching(name);
  return hasAnyWord(folded, rules.uiWords);
}

export interface BylineSources {
  /** Declared metadata authors (JSON-LD, meta, rel/itemprop=author), already one source. */
  declared: string[];
  /** Text of byline elements (class/id "byline", "author"…), page order. */
  elements?: string[];
  /** Byline lines from the start of the article text. */
  lines?: string[];
  /** A block near the top that is only a name ("Jane Roe", "Jane Roe/Tom Lund"): read only when metadata credits the site alone. */
  nameLines?: string[];
  /** What source lines credit ("Reuters", «وكالات»): agencies only, never authors. */
  credits?: string[];
  /** The article's first paragraphs, for an agency dateline. */
  lead?: string[];
}

export interface Bylines {
  authors: string[];
  sourceAgency: string | null;
}

// "WASHINGTON (Reuters) -", «بيروت (أ ف ب) -», «عمان --(بترا)--», "(AFP) –": a place of at most four words, then the agency in brackets.
const DATELINE = /^(?:[^\s()]+(?:\s+[^\s()]+){0,3}\s*[-–—,]{0,2}\s*)?\(([^()]{1,40})\)\s*[-–—:،]+\s*/u;

/**
 * An agency dateline at the start of a paragraph: the agency it names and the
 * paragraph without it ("BERLIN (dpa) – Die Regierung…" → dpa, "Die Regierung…").
 * Null when the brackets name no known agency or nothing follows.
 */
export function splitDateline(text: string, rules: BylineRules = bundledBylineRules()): { agency: string; rest: string } | null {
  const t = text.trim();
  const m = DATELINE.exec(t);
  const agency = m ? rules.agencies.get(foldForMatching(m[1]!)) : undefined;
  const rest = m ? t.slice(m[0].length).trim() : '';
  return agency && rest ? { agency, rest } : null;
}

/** What one group of bylines credits: people, whole entries that are an agency, whole entries that are the site or a desk. */
export interface Credits {
  people: string[];
  agencies: string[];
  organisations: string[];
  /** The first agency named anywhere in the group (its canonical name), for source_agency. */
  agency: string | null;
}

interface GroupOptions {
  rules: BylineRules;
  dateWords: ReadonlySet<string>;
  siteKeys: ReadonlySet<string>;
  fromText: boolean;
}

/** A whole byline entry as written, cleaned of prefixes and brackets: "The Associated Press", "dpa". */
const asWritten = (raw: string): string => stripPrefix(oneLine(raw)).replace(/^[(\[]\s*|\s*[)\]]$/gu, '').trim();

/**
 * Page text glues a name to the next element's text ("Jeff FoustMonday",
 * "Emma MackenzieLifestyle Writer"): a part boundary there. The site's own
 * name ("HarborLedger") and page controls ("WhatsApp") stay whole.
 */
function unglue(raw: string, o: GroupOptions): string {
  if (!HAS_GLUED_WORDS.test(raw)) return raw;
  const sites = [...o.siteKeys].map((k) => k.replace(/\s+/g, ''));
  return raw.replace(/\S+/gu, (token) => {
    const key = foldForMatching(token);
    return sites.includes(key) || o.rules.uiWords.includes(key) ? token : token.replace(GLUED_WORDS, '$1 | ');
  });
}

/**
 * Names one group of bylines credits. From page text, only the first entry
 * that credits anyone (a person or an agency) counts: later ones belong to other stories.
 */
function creditsOf(raws: readonly string[], o: GroupOptions): Credits {
  const c: Credits = { people: [], agencies: [], organisations: [], agency: null };
  const seen = new Set<string>();
  for (const raw of raws) {
    const parsed = parseByline(o.fromText ? unglue(raw, o) : raw, o.rules, o.dateWords, o.fromText);
    c.agency ??= parsed.agencies[0] ?? null;
    if (o.fromText && (c.people.length > 0 || c.agencies.length > 0)) continue;
    const isAgency = (n: string) => o.rules.agencies.has(foldForMatching(n));
    // "Coastline Daily (www.coastline.example)": a name the site's own address qualifies is the site.
    const qualifier = /\(\s*(?:https?:\/\/)?(?:www\.)?([^()\s]+?)\/?\s*\)/iu.exec(raw)?.[1];
    if (qualifier && o.siteKeys.has(foldForMatching(qualifier))) {
      if (!o.fromText) c.organisations.push(...parsed.names.filter((n) => !seen.has(foldForMatching(n))));
      continue;
    }
    const valid = parsed.names.filter((n) => foldForMatching(n) && n.length <= 100 && !LOOKS_LIKE_URL.test(n) && !isNotAName(n, o.rules));
    const credits = valid.filter((n) => o.siteKeys.has(foldForMatching(n)) || isAgency(n));
    const people = valid.filter((n) => !credits.includes(n) && (!o.fromText || looksLikeName(n)));
    for (const name of people) {
      const key = foldForMatching(name);
      if (seen.has(key) || c.people.length >= MAX_AUTHORS) continue;
      seen.add(key);
      c.people.push(name);
    }
    if (people.length > 0 || (credits.length === 0 && parsed.agencies.length === 0 && (o.fromText || parsed.roles === 0))) continue;
    // No person: the entry itself is the credit, as written when it is short ("Le Figaro et AFP", "Staff reporter").
    const whole = asWritten(raw);
    const credit = whole.split(/\s+/).length <= MAX_NAME_WORDS && !/\p{Nd}/u.test(whole) && !isNotAName(whole, o.rules) ? whole : (parsed.agencyParts[0] ?? credits[0]);
    // A desk is credited by name ("Ledger staff reporter"), never a bare job title ("Redaktion", "admin").
    if (credits.length === 0 && parsed.agencies.length === 0 && credit && onlyRoleWords(credit, o.rules)) continue;
    const key = credit ? foldForMatching(credit) : '';
    if (!credit || !key || seen.has(key)) continue;
    seen.add(key);
    if (parsed.agencies.length > 0 || credits.some(isAgency)) c.agencies.push(credit);
    else if (!o.fromText) c.organisations.push(credit);
  }
  return c;
}

/**
 * Authors and the source agency. Declared metadata comes first: the people it
 * names, with any entry of its list that is wholly an agency ("Jane Roe",
 * "AP"). Where it names no person, the first byline element (else byline
 * line) that credits a person or an agency; else the agencies, then the site
 * or desk, the metadata credits ("dpa", "Example Daily", "Staff reporter");
 * else an agency the text credits, as written. The source agency comes from
 * any of them, else from a dateline.
 */
export function readBylines(sources: BylineSources, names: (string | null)[], rules: BylineRules = bundledBylineRules(), dateWords: ReadonlySet<string> = new Set()): Bylines {
  const siteKeys = new Set(names.filter((n): n is string => !!n).map(foldForMatching));
  const group = (raws: readonly string[] | undefined, fromText: boolean): Credits => creditsOf(raws ?? [], { rules, dateWords, siteKeys, fromText });
  const declared = group(sources.declared, false);
  const text = [group(sources.elements, true), group(sources.lines, true)];
  let agency = declared.agency ?? text[0]!.agency ?? text[1]!.agency;
  let authors: string[];
  // A person named in page text wins over an agency credited there («أ ف ب» in a box, "Par Jean Roux" atop the story).
  const inText = text.find((c) => c.people.length > 0) ?? text.find((c) => c.agencies.length > 0);
  // Metadata that names only the editor, where the page's byline names the writer.
  const editors = new Set((sources.elements ?? []).filter((e) => EDITOR_LABEL.test(e.trim())).map((e) => foldForMatching(e.trim().replace(EDITOR_LABEL, ''))));
  const declaresEditor = declared.people.length > 0 && declared.people.every((p) => editors.has(foldForMatching(p)));
  if (declaresEditor && inText && inText.people.some((p) => !editors.has(foldForMatching(p)))) authors = inText.people;
  else if (declared.people.length > 0) authors = [...(boxedCoAuthors(declared.people, sources.elements ?? [], group) ?? declared.people), ...declared.agencies];
  else if (inText) authors = inText.people.length > 0 ? inText.people : inText.agencies;
  else if (declared.agencies.length > 0) authors = declared.agencies;
  else authors = declared.organisations.length > 0 ? (siteCreditedWriter(declared.organisations, group(sources.nameLines, true).people) ?? declared.organisations) : [];
  const credited: string[] = [];
  for (const credit of sources.credits ?? []) {
    const parsed = parseByline(credit, rules, dateWords, true);
    agency ??= parsed.agencies[0] ?? null;
    if (parsed.names.length === 0) credited.push(...parsed.agencyParts);
  }
  if (authors.length === 0) authors = [...new Set(credited)];
  if (!agency) {
    for (const p of sources.lead ?? []) {
      agency = splitDateline(p, rules)?.agency ?? null;
      if (agency) break;
    }
  }
  return { authors: authors.slice(0, MAX_AUTHORS), sourceAgency: agency };
}

/** How far into the text a byline line is looked for. */
const BYLINE_LINE_BLOCKS = 8;

/** Short blocks near the top that start like a byline ("By …", «كتب: …»); the normalize stage drops them from the text. */
export function bylineLines(blocks: readonly TextBlock[], rules: MetadataLineRules | undefined): string[] {
  if (!rules) return [];
  const lines: string[] = [];
  for (const b of blocks.slice(0, BYLINE_LINE_BLOCKS)) {
    // Words first, counted without collapsing the spaces (a story paragraph stops the count early).
    if (countWords(b.text, rules.maxBylineWords) > rules.maxBylineWords) continue;
    const t = b.text.replace(/\s+/g, ' ').trim();
    if (t.length <= 200 && rules.byline.test(foldForMatching(t))) lines.push(t);
  }
  return lines;
}

/** Declared author names, cleaned (agencies and site names removed). */
export function cleanAuthors(authors: string[], siteName: string | null, rules?: BylineRules): string[] {
  return readBylines({ declared: authors }, [siteName], rules).authors;
}
