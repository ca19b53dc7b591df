/**
 * The body from the page's own state: client-rendered pages (Next.js flight
 * data, React Query / Redux / Nuxt state blobs, `__NEXT_DATA__`) ship the
 * article as an HTML string inside an inline <script>, while the DOM holds a
 * teaser or nothing. Tried only when the DOM yields little text: each inline
 * script's long string literals that hold paragraph markup are unescaped,
 * parsed, and the one with the most prose wins.
 */
import { type Element, isText } from './dom.js';
import { parseHtml } from './parse.js';
import { type RawBlock, collectBlocks } from './blocks.js';
import { keepProseBlocks } from './labels.js';
import { hardPrune, softPrune } from './prune.js';
import type { CleanRules } from './rules.js';
import { computeStats } from './stats.js';

/** A string literal shorter than this is no article. */
const MIN_LITERAL_CHARS = 400;
/** Markup of a paragraph, raw or JSON-escaped (`\u003cp`, `\x3cp`). */
const PARAGRAPH_MARK = /(?:<|\\u003c|\\x3c)p[\s>\\]/gi;
const MIN_PARAGRAPHS = 2;
/** A double-quoted JS/JSON string literal (linear: no nested quantifiers). */
const STRING_LITERAL = /"((?:[^"\\]|\\.)*)"/g;
/** Template placeholders some CMSs leave in stored HTML ("$$ARTICLEAD$$", "{{ad}}"). */
const PLACEHOLDER = /\$\$[A-Z0-9_]+\$\$|\{\{[^{}]{1,40}\}\}/g;

const isStateScript = (el: Element): boolean => {
  if (el.name !== 'script' || el.attribs['src']) return false;
  const type = (el.attribs['type'] ?? '').toLowerCase();
  return type === '' || type.includes('javascript') || type === 'application/json' || type === 'module';
};

function scriptText(el: Element): string {
  let s = '';
  for (const c of el.children) if (isText(c)) s += c.data;
  return s;
}

function unescapeLiteral(body: string): string | null {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    // A JS literal (\x3c, \'), not JSON: the usual escapes only.
    return body.replace(/\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(.)/g, (_, x, u, c) =>
      x ? String.fromCharCode(parseInt(x, 16)) : u ? String.fromCharCode(parseInt(u, 16)) : c === 'n' ? '\n' : c,
    );
  }
}

/** The fragment's prose, pruned as the page would be (captions, hidden and boilerplate elements out). */
function fragmentBlocks(html: string, rules: CleanRules, opts: { keepTables: boolean; keepCaptions: boolean }): RawBlock[] {
  const doc = parseHtml(`<div>${html}</div>`);
  hardPrune(doc, rules, opts.keepCaptions);
  const root = doc.children.find((c): c is Element => c.type === 'tag');
  if (!root) return [];
  softPrune(root, rules, computeStats(root), new Set());
  return keepProseBlocks(collectBlocks([root], opts));
}

const blocksLength = (blocks: RawBlock[]) => blocks.reduce((n, b) => n + b.text.length - b.linkChars, 0);

/** The prose blocks of the best article-like HTML string in the page's inline scripts, or null. */
export function bodyFromScripts(scripts: Element[], rules: CleanRules, opts: { keepTables: boolean; keepCaptions: boolean }): RawBlock[] | null {
  let best: RawBlock[] | null = null;
  let bestChars = 0;
  const seen = new Set<string>();
  for (const script of scripts) {
    if (!isStateScript(script)) continue;
    const src = scriptText(script);
    if (src.length < MIN_LITERAL_CHARS) continue;
    for (const m of src.matchAll(STRING_LITERAL)) {
      const lit = m[1]!;
      if (lit.length < MIN_LITERAL_CHARS || seen.has(lit)) continue;
      seen.add(lit);
      if ((lit.match(PARAGRAPH_MARK)?.length ?? 0) < MIN_PARAGRAPHS) continue;
      const html = unescapeLiteral(lit);
      if (!html) continue;
      const blocks = fragmentBlocks(html.replace(PLACEHOLDER, ' '), rules, opts);
      const chars = blocksLength(blocks);
      if (chars > bestChars) {
        best = blocks;
        bestChars = chars;
      }
    }
  }
  return best;
}
