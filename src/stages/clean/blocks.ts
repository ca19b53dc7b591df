/**
 * Turn the chosen article subtree(s) into paragraph-level text blocks, in
 * page order: p, headings, list items, quotes, pre, table rows, and bare text
 * inside divs (split at <br> and block boundaries).
 */
import type { TextBlock } from '../../shared/types.js';
import { type AnyNode, type Element, isParent, isTag, isText } from './dom.js';

/** Tags that end the current line of inline text. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'caption', 'figure', 'figcaption', 'address', 'hr', 'center', 'details', 'summary', 'form', 'fieldset', 'body', 'html',
]);

export interface RawBlock extends TextBlock {
  /** Characters of the block inside links. */
  linkChars: number;
  /** 1–6 for h1–h6 headings. */
  level?: number;
}

interface Line {
  kind: TextBlock['kind'];
  parts: string[];
  linkChars: number;
  level?: number;
}

function kindFor(tag: string, current: TextBlock['kind']): TextBlock['kind'] {
  if (/^h[1-6]$/.test(tag)) return 'heading';
  if (tag === 'li' || tag === 'dt' || tag === 'dd') return 'li';
  if (tag === 'blockquote') return 'quote';
  if (tag === 'pre') return 'pre';
  if (tag === 'tr') return 'table';
  return current;
}

const NON_SPACE = /\S/;

export function collectBlocks(roots: AnyNode[], opts: { keepTables: boolean }): RawBlock[] {
  const blocks: RawBlock[] = [];
  let line: Line = { kind: 'p', parts: [], linkChars: 0 };
  let linkDepth = 0;
  let preDepth = 0;

  const flush = (nextKind: TextBlock['kind']) => {
    const raw = line.parts.length === 1 ? line.parts[0]! : line.parts.join('');
    // Most lines are the whitespace between block tags: both forms below make '' of them, and only them.
    const text = !NON_SPACE.test(raw) ? '' : preDepth > 0 || line.kind === 'pre' ? raw.replace(/^\n+|\s+$/g, '') : raw.replace(/\s+/g, ' ').trim();
    if (text) {
      const block: RawBlock = { kind: line.kind, text, linkChars: Math.min(line.linkChars, text.length) };
      if (line.kind === 'heading') block.level = line.level ?? 2;
      blocks.push(block);
    }
    line = { kind: nextKind, parts: [], linkChars: 0 };
  };

  // Iterative walk with explicit enter/exit events: [node, kindOnExit] or an exit marker.
  type Frame = { node: AnyNode; exit: false } | { node: Element; exit: true; kind: TextBlock['kind'] };
  const kinds: TextBlock['kind'][] = ['p'];
  // Filled by push, never from roots.map(): one array shape for every call, so
  // the optimised loop below is not thrown away when roots is empty.
  const stack: Frame[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, exit: false });
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (frame.exit) {
      const el = frame.node;
      kinds.pop();
      if (el.name === 'a') linkDepth--;
      if (el.name === 'pre') preDepth--;
      if (el.name === 'td' || el.name === 'th') line.parts.push(' | ');
      else if (BLOCK_TAGS.has(el.name)) flush(kinds[kinds.length - 1]!);
      continue;
    }
    if (isText(node)) {
      line.parts.push(node.data);
      if (linkDepth > 0) line.linkChars += node.data.trim().length;
      continue;
    }
    if (!isTag(node)) continue;
    const tag = node.name;
    if (tag === 'br') {
      flush(line.kind);
      continue;
    }
    if (tag === 'table' && !opts.keepTables) continue;
    const kind = kindFor(tag, kinds[kinds.length - 1]!);
    if (BLOCK_TAGS.has(tag) && tag !== 'td' && tag !== 'th') flush(kind);
    else if (tag === 'td' || tag === 'th') line.kind = 'table';
    if (/^h[1-6]$/.test(tag)) line.level = Number(tag[1]);
    if (tag === 'a') linkDepth++;
    if (tag === 'pre') preDepth++;
    kinds.push(kind);
    stack.push({ node, exit: true, kind });
    if (isParent(node)) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, exit: false });
  }
  flush('p');
  return blocks.map((b) => (b.kind === 'table' ? { ...b, text: trimCellSeparators(b.text) } : b));
}

/** Strip leading/trailing " | " cell separators (a linear scan: the regex form backtracks badly on long rows). */
function trimCellSeparators(text: string): string {
  const isSep = (c: string) => c === '|' || c === ' ';
  let start = 0;
  let end = text.length;
  while (start < end && isSep(text[start]!)) start++;
  while (end > start && isSep(text[end - 1]!)) end--;
  return text.slice(start, end);
}
