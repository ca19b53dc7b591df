import { readdirSync, readFileSync } from 'node:fs';
import { type AnyNode, isCDATA, isTag, isText } from 'domhandler';
import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { parseXmlTree } from '../../../../src/stages/fetch/discover/xml-tree.js';

/** Elements, attributes, CDATA and text (adjacent texts merged); comments and declarations left out. */
function shape(nodes: AnyNode[]): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    if (isTag(node)) out.push({ name: node.name, attribs: { ...node.attribs }, children: shape(node.children) });
    else if (isCDATA(node)) out.push({ cdata: shape(node.children) });
    else if (isText(node)) {
      const last = out.at(-1);
      if (typeof last === 'string') out[out.length - 1] = last + node.data;
      else out.push(node.data);
    }
  }
  return out;
}

function sameAsHtmlparser2(text: string): void {
  expect(shape(parseXmlTree(text).children)).toEqual(shape(parseDocument(text, { xmlMode: true }).children));
}

describe('parseXmlTree builds the same tree as parseDocument(xmlMode)', () => {
  const dir = new URL('../../../fixtures/discover/', import.meta.url);
  it.each(readdirSync(dir).filter((f) => !f.endsWith('.md')))('fixture %s', (name) => {
    sameAsHtmlparser2(readFileSync(new URL(name, dir), 'utf8'));
  });

  it.each([
    ['unclosed tags', '<a><b>x<c>y'],
    ['a close tag that skips open ones', '<a><b><c>x</a>y'],
    ['an unknown close tag', '<a>x</zzz>y</a>'],
    ['a repeated name', '<a><a><a>x</a>y</a>z'],
    ['self-closing tags', '<a><b/><c x="1"/>t</a>'],
    ['entities in text and attributes', '<a t="x &amp; y &#1575;">A &lt; B &gt; C &quot;</a>'],
    ['duplicate attributes', '<a x="1" x="2" y>t</a>'],
    ['CDATA', '<a><![CDATA[<b>not a tag</b> &amp;]]> after</a>'],
    ['a truncated open tag', '<a><b x="1'],
    ['case-sensitive names', '<A><a>x</A>y</a>'],
    ['prefixed names', '<x:a xmlns:x="u"><x:b>t</x:b></x:a>'],
  ])('%s', (_, text) => {
    sameAsHtmlparser2(text);
  });

  it('on random tag soup', () => {
    const piece = fc.constantFrom('<a>', '</a>', '<b>', '</b>', '<a/>', 'text', '&amp;', '<![CDATA[x]]>', '<!--c-->', '<?pi?>', '<c k="v">', '</c>', '<', '>', '"');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
      sameAsHtmlparser2(pieces.join(''));
    }), { numRuns: 500 });
  });

  it('keeps an attribute named __proto__ as an attribute', () => {
    const root = parseXmlTree('<a __proto__="x"/>').children[0];
    expect(root && isTag(root) ? Object.entries(root.attribs) : null).toEqual([['__proto__', 'x']]);
  });

  it('sets parent links', () => {
    const root = parseXmlTree('<a><b>t</b></a>').children[0];
    const b = root && isTag(root) ? root.children[0] : undefined;
    expect(b?.parent).toBe(root);
  });
});
