import { describe, expect, it } from 'vitest';
import { type AnyNode, type Element, hasChildren, isTag } from 'domhandler';
import { defaultConfig } from '../../../src/config/schema.js';
import { clean } from '../../../src/stages/clean/index.js';
import { MAX_DEPTH, parseHtml } from '../../../src/stages/clean/parse.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { elementsInOrder, textOf } from '../../../src/stages/clean/dom.js';
import type { DecodedPage } from '../../../src/shared/types.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;

const decoded = (html: string): DecodedPage => ({ source: 'inline.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' });

/** Elements named `name` below `root`, in document order. */
function elementsNamed(root: AnyNode, name: string): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isTag(node) && node.name === name) out.push(node);
    if (hasChildren(node)) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

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

  it('keeps the tree at most MAX_DEPTH elements deep, every element with its own text', () => {
    const n = MAX_DEPTH + 50;
    const html = '<span>'.repeat(n) + '<h1>Headline</h1><p>First.</p><p>Second.</p>' + '</span>'.repeat(n);
    const doc = parseHtml(html);
    expect(maxDepth(doc)).toBeLessThanOrEqual(MAX_DEPTH + 1);
    // Past the cap, elements become siblings instead of children: none is lost, none merges with another.
    const texts = (name: string) => elementsNamed(doc, name).map(textOf);
    expect(texts('h1')).toEqual(['Headline']);
    expect(texts('p')).toEqual(['First.', 'Second.']);
    expect(elementsNamed(doc, 'span')).toHaveLength(n);
    expect(textOf(doc)).toBe('HeadlineFirst.Second.');
  });

  it('keeps void elements and markup after a deep nest where they belong', () => {
    const n = MAX_DEPTH + 10;
    const doc = parseHtml(`<div id="outer">${'<div>'.repeat(n)}<p>a<br>b<img src="x.png"></p>${'</div>'.repeat(n)}</div><p id="after">after</p>`);
    expect(elementsNamed(doc, 'br')).toHaveLength(1);
    expect(elementsNamed(doc, 'img')).toHaveLength(1);
    const after = elementsNamed(doc, 'p').find((p) => p.attribs['id'] === 'after')!;
    expect(after.parent?.type).toBe('root'); // the close tags still found their elements
  });

  it('parses 300,000 unclosed inline tags in linear time (htmlparser2 alone is quadratic in depth)', () => {
    // The trap: old WYSIWYG markup that never closes <font>/<b>. Uncapped, this took minutes.
    const html = `<html><body><article><h1>Title</h1><p>${STORY}</p></article>${'<b>x'.repeat(300_000)}</body></html>`;
    const started = performance.now();
    const doc = parseHtml(html);
    expect(maxDepth(doc)).toBeLessThanOrEqual(MAX_DEPTH + 3);
    expect(elementsNamed(doc, 'b')).toHaveLength(300_000);
    // Generous bound: capped, this takes well under a second; uncapped, minutes.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('throws TOO_COMPLEX past maxElements', () => {
    const html = `<body>${'<i>x</i>'.repeat(1_001)}</body>`;
    expect(() => parseHtml(html, 1_000)).toThrow(expect.objectContaining({ code: 'TOO_COMPLEX' }));
    expect(() => parseHtml(html, 1_002)).not.toThrow();
  });

  it('lists the elements it creates in document order, as elementsInOrder walks the tree', () => {
    const pages = [
      '<!doctype html><html><head><title>T</title><script>var a = "<p>";</script></head><body><p>a<b>b</p><table><tr><td>c<div>d</table><ul><li>1<li>2</ul><br><img src=x><!-- c --><template><i>t</i></template></body></html>',
      '<p>no html or body<span>x',
      `<body>${'<div>'.repeat(MAX_DEPTH + 40)}<p>deep</p>${'<em>e</em>'.repeat(5)}</body>`,
      '<svg><circle/><foreignObject><p>x</p></foreignObject></svg><math><mi>x</mi></math><select><option>a<option>b</select>',
    ];
    for (const html of pages) {
      const listed: Element[] = [];
      const doc = parseHtml(html, Infinity, listed);
      expect(listed).toEqual(elementsInOrder(doc));
      expect(listed.every((el, i) => el === elementsInOrder(doc)[i])).toBe(true);
    }
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

describe('parseHtml names', () => {
  it('gives lower-case tag and attribute names, the same on every page, whatever the page’s script', () => {
    // An Arabic page is a two-byte string, and so is every slice of it: the names must still read as usual.
    const arabic = parseHtml('<DIV CLASS="a" Data-X="1"><P>نص عربي</P></DIV>');
    const latin = parseHtml('<div class="b" data-x="2"><p>text</p></div>');
    for (const doc of [arabic, latin]) {
      const [div] = elementsNamed(doc, 'div');
      expect(div!.name).toBe('div');
      expect(Object.keys(div!.attribs)).toEqual(['class', 'data-x']);
      expect(elementsNamed(doc, 'p')).toHaveLength(1);
    }
    expect(textOf(elementsNamed(arabic, 'p')[0]!)).toBe('نص عربي');
  });

  it('lists the elements in document order when asked', () => {
    const list: Element[] = [];
    const doc = parseHtml('<html><body><h1>a</h1><p>b <b>c</b></p></body></html>', Infinity, list);
    expect(list.map((e) => e.name)).toEqual(['html', 'body', 'h1', 'p', 'b']);
    expect(list).toEqual(elementsInOrder(doc));
  });
});
