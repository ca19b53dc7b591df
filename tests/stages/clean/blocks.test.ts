import { describe, expect, it } from 'vitest';
import { type Element, isTag } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { collectBlocks } from '../../../src/stages/clean/blocks.js';

const root = (html: string): Element => parseHtml(`<div id="root">${html}</div>`).children.find(isTag)!;
const blocks = (html: string, keepTables = true) => collectBlocks([root(html)], { keepTables });
const texts = (html: string, keepTables = true) => blocks(html, keepTables).map((b) => b.text);

describe('collectBlocks', () => {
  it('makes one block per paragraph, collapsing whitespace and keeping inline elements together', () => {
    expect(blocks('<p>  First   <b>bold</b>\n paragraph. </p><p>Second <a href="/x">linked</a> paragraph.</p>')).toEqual([
      { kind: 'p', text: 'First bold paragraph.', linkChars: 0 },
      { kind: 'p', text: 'Second linked paragraph.', linkChars: 6 },
    ]);
  });

  it('splits at <br>, dropping empty lines', () => {
    expect(texts('<div>Line one<br>Line two<br><br>  <br/>Line three</div>')).toEqual(['Line one', 'Line two', 'Line three']);
    expect(texts('<p>A first sentence.<br>A second sentence.</p>')).toEqual(['A first sentence.', 'A second sentence.']);
  });

  it('splits bare text at block boundaries', () => {
    expect(texts('Loose text before<div>inside a div</div>loose text after<p>a paragraph</p>')).toEqual([
      'Loose text before',
      'inside a div',
      'loose text after',
      'a paragraph',
    ]);
  });

  it('labels headings, list items and quotes', () => {
    const out = blocks('<h2>Sub heading</h2><p>Body.</p><h3>Another</h3><ul><li>One</li><li>Two</li></ul><ol><li>Three</li></ol><blockquote>Quoted words.</blockquote><dl><dt>Term</dt><dd>Def</dd></dl>');
    expect(out.map((b) => [b.kind, b.text])).toEqual([
      ['heading', 'Sub heading'],
      ['p', 'Body.'],
      ['heading', 'Another'],
      ['li', 'One'],
      ['li', 'Two'],
      ['li', 'Three'],
      ['quote', 'Quoted words.'],
      ['li', 'Term'],
      ['li', 'Def'],
    ]);
  });

  it('all heading levels are heading blocks', () => {
    const out = blocks('<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>');
    expect(out.map((b) => b.kind)).toEqual(Array(6).fill('heading'));
    expect(out.map((b) => b.text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('returns to the surrounding kind after a nested block', () => {
    const out = blocks('<blockquote><p>Quote para one.</p><p>Quote para two.</p></blockquote><p>After.</p>');
    expect(out.map((b) => [b.kind, b.text])).toEqual([
      ['quote', 'Quote para one.'],
      ['quote', 'Quote para two.'],
      ['p', 'After.'],
    ]);
  });

  it('joins table cells with " | ", one block per row', () => {
    const out = blocks(
      '<table><thead><tr><th>Branch</th><th>Seeds</th><th>Hours</th></tr></thead><tbody><tr><td>Westbrook</td><td> 120 </td><td>9-5</td></tr><tr><td>North <b>End</b></td><td>80</td><td></td></tr></tbody></table>',
    );
    expect(out.map((b) => [b.kind, b.text])).toEqual([
      ['table', 'Branch | Seeds | Hours'],
      ['table', 'Westbrook | 120 | 9-5'],
      ['table', 'North End | 80'],
    ]);
  });

  it('drops tables when keepTables is off', () => {
    expect(texts('<p>Before.</p><table><tr><td>a</td><td>b</td></tr></table><p>After.</p>', false)).toEqual(['Before.', 'After.']);
  });

  it('keeps line breaks and indentation inside <pre>', () => {
    const out = blocks('<p>Intro.</p><pre>\nline 1\n  indented line 2\n\nline 4   \n</pre><p>Outro.</p>');
    expect(out).toEqual([
      { kind: 'p', text: 'Intro.', linkChars: 0 },
      { kind: 'pre', text: 'line 1\n  indented line 2\n\nline 4', linkChars: 0 },
      { kind: 'p', text: 'Outro.', linkChars: 0 },
    ]);
  });

  it('keeps lines in <pre> that holds inline code', () => {
    const out = blocks('<pre><code>const a = 1;\nconst b = 2;</code></pre>');
    expect(out).toEqual([{ kind: 'pre', text: 'const a = 1;\nconst b = 2;', linkChars: 0 }]);
  });

  it('counts link characters per block', () => {
    const [b] = blocks('<p><a href="/1">Read more</a> about <a href="/2">it</a></p>');
    expect(b!.text).toBe('Read more about it');
    expect(b!.linkChars).toBe('Read more'.length + 'it'.length);
    const [nav] = blocks('<ul><li><a href="/a">Home</a></li></ul>');
    expect(nav!.linkChars).toBe(nav!.text.length);
  });

  it('walks several roots in the given order', () => {
    const a = root('<p>from a</p>');
    const b = root('<p>from b</p>');
    expect(collectBlocks([b, a], { keepTables: true }).map((x) => x.text)).toEqual(['from b', 'from a']);
  });

  it('handles a very long flat run of paragraphs', () => {
    const n = 20_000;
    const out = blocks(Array.from({ length: n }, (_, i) => `<p>p${i}</p>`).join(''));
    expect(out).toHaveLength(n);
    expect(out[n - 1]!.text).toBe(`p${n - 1}`);
  });
});
