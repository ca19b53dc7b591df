import { describe, expect, it } from 'vitest';
import { type AnyNode, hasChildren, isTag } from 'domhandler';
import { defaultConfig } from '../../../src/config/schema.js';
import { clean } from '../../../src/stages/clean/index.js';
import { MAX_DEPTH, parseHtml } from '../../../src/stages/clean/parse.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { textOf } from '../../../src/stages/clean/dom.js';
import type { DecodedPage } from '../../../src/types.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;

const decoded = (html: string): DecodedPage => ({ source: 'inline.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' });

/** Deepest nesting level below `root`, computed without recursion. */
function maxDepth(root: AnyNode): number {
  let max = 0;
  const stack: Array<[AnyNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    if (d > max) max = d;
    if (hasChildren(node)) for (const c of node.children) stack.push([c, d + 1]);
  }
  return max;
}

const STORY =
  'The river authority opened the new footbridge on Monday, two months early, and said the old crossing will be taken down over the summer.';

describe('parseHtml', () => {
  it('lower-cases tag and attribute names and decodes entities', () => {
    const doc = parseHtml('<DIV CLASS="Box" Data-X="1"><P>Fish &amp; chips &eacute;t&#233; &#x623;</P></DIV>');
    const div = doc.children.find(isTag)!;
    expect(div.name).toBe('div');
    expect(div.attribs).toEqual({ class: 'Box', 'data-x': '1' });
    expect(textOf(div)).toBe('Fish & chips été أ');
  });

  it('keeps shallow structure intact', () => {
    const doc = parseHtml('<html><body><div><section><p>a</p><p>b</p></section></div></body></html>');
    expect(maxDepth(doc)).toBeLessThan(MAX_DEPTH);
    expect(textOf(doc)).toBe('ab');
  });

  it('flattens subtrees below MAX_DEPTH to their text', () => {
    const n = MAX_DEPTH + 50;
    const html = '<span>'.repeat(n) + 'deep text' + '</span>'.repeat(n);
    const doc = parseHtml(html);
    expect(maxDepth(doc)).toBeLessThanOrEqual(MAX_DEPTH + 1);
    expect(textOf(doc)).toBe('deep text');
  });

  it('parses a page nested 50,000 elements deep without overflowing the stack', () => {
    const depth = 50_000;
    const html = `<html><body>${'<div>'.repeat(depth)}<p>${STORY}</p>${'</div>'.repeat(depth)}<p>After the nest.</p></body></html>`;
    const doc = parseHtml(html);
    expect(maxDepth(doc)).toBeLessThanOrEqual(MAX_DEPTH + 1);
    const text = textOf(doc);
    expect(text).toContain(STORY);
    expect(text).toContain('After the nest.');
  });

  it('cleans a page nested 50,000 elements deep and still finds the text', () => {
    const depth = 50_000;
    const html = `<html><body>${'<div>'.repeat(depth)}<p>${STORY}</p>${'</div>'.repeat(depth)}</body></html>`;
    const page = clean(decoded(html), { rules, config });
    expect(page.blocks.map((b) => b.text).join('\n')).toContain(STORY);
  });
});
