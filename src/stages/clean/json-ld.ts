/**
 * JSON-LD: parse every <script type="application/ld+json"> leniently and
 * return the flattened list of objects (top level, arrays and @graph).
 */
export type LdObject = Record<string, unknown>;

export function parseJsonLd(scripts: string[]): LdObject[] {
  const out: LdObject[] = [];
  for (const raw of scripts) {
    const parsed = parseLenient(raw);
    if (parsed !== undefined) collect(parsed, out, 0);
  }
  return out;
}

function parseLenient(raw: string): unknown {
  const cleaned = raw
    .replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')
    .replace(/^\s*<!--|-->\s*$/g, '')
    .trim();
  if (!cleaned) return undefined;
  try {
    return JSON.parse(cleaned);
  } catch {
    // Raw newlines/tabs inside strings are the most common breakage.
    try {
      return JSON.parse(cleaned.replace(/[\n\r\t]+/g, ' '));
    } catch {
      return undefined;
    }
  }
}

function collect(value: unknown, out: LdObject[], depth: number): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  const obj = value as LdObject;
  out.push(obj);
  if (obj['@graph']) collect(obj['@graph'], out, depth + 1);
  if (obj['mainEntity'] && typeof obj['mainEntity'] === 'object') collect(obj['mainEntity'], out, depth + 1);
}

export function ldTypes(obj: LdObject): string[] {
  const t = obj['@type'];
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
}

const ARTICLE_TYPES = /article|posting|report|newsarticle|blogposting|review|recipe|webpage|creativework/;

/** The object that describes the page's article, if any. Prefer *Article types. */
export function findArticleObject(objects: LdObject[]): LdObject | null {
  const typed = objects.filter((o) => ldTypes(o).some((t) => ARTICLE_TYPES.test(t)));
  return (
    typed.find((o) => ldTypes(o).some((t) => /article|posting|report/.test(t))) ??
    typed.find((o) => typeof o['articleBody'] === 'string') ??
    typed[0] ??
    null
  );
}

/** A string from a JSON-LD value that may be a string, an object with name/@value, or an array. */
export function ldString(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return ldString(value[0]);
  if (value && typeof value === 'object') {
    const o = value as LdObject;
    return ldString(o['name'] ?? o['@value'] ?? o['url'] ?? null);
  }
  return null;
}

/** Names from author-like values: "A", {name}, [{name}, "B"]. */
export function ldNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list.map((v) => ldString(v)).filter((v): v is string => !!v);
}
