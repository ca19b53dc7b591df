import { describe, expect, it } from 'vitest';
import { Parser } from 'htmlparser2';
import { DomHandler, type Element } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { elementsInOrder } from '../../../src/stages/clean/dom.js';
import { dump, fixturePages, randomMarkups } from '../../helpers/markup.js';

/** htmlparser2's own Parser and DomHandler, as the clean stage used them before tree-builder.ts. */
function reference(html: string): string[] {
  const options = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
  const handler = new DomHandler();
  new Parser(handler, options).end(html);
  return dump(handler.root.children);
}

function sameTree(html: string): void {
  const elements: Element[] = [];
  const doc = parseHtml(html, Infinity, elements);
  expect(dump(doc.children), html).toEqual(reference(html));
  expect(elements).toEqual(elementsInOrder(doc));
  // Parent and sibling links, as domhandler sets them.
  for (const el of elements) {
    const siblings = el.parent!.children;
    const i = siblings.indexOf(el);
    expect(el.prev ?? null).toBe(siblings[i - 1] ?? null);
    expect(el.next ?? null).toBe(siblings[i + 1] ?? null);
  }
}

describe('TreeBuilder (through parseHtml)', () => {
  it('builds the tree htmlparser2 builds, for every fixture page', () => {
    const pages = fixturePages();
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) sameTree(page);
  });

  it('builds the tree htmlparser2 builds, for random markup', () => {
    for (const html of randomMarkups(1500)) sameTree(html);
  });

  it('follows the HTML rules the reference follows', () => {
    for (const html of [
      '<ul><li>a<li>b</ul>', // li closes li
      '<p>a<div>b</div>', // div closes p
      '<table><tr><td>1<td>2<tr><td>3</table>',
      '<div></p>x</div>', // stray </p> is an empty paragraph
      'a</br>b', // </br> is a <br>
      '<svg><circle/><g/></svg><p/>x', // self-closing counts only in svg
      '<select><option>a<option>b</select>',
      '<P CLASS="a" class="b" ID=c>x</P>', // names lower-cased; the first of repeated attributes wins
      '<!DOCTYPE html><?xml version="1.0"?><![CDATA[x]]><!-- c -->',
      '<div><p class="cut', // the page ends inside a tag
      `<div ${'X'.repeat(100)}="1" ${'x'.repeat(100)}="2"><${'q'.repeat(80)}>long names</${'Q'.repeat(80)}></div>`, // not shared, same tree
    ]) sameTree(html);
  });
});

describe('attribute objects', () => {
  it('have no prototype: nothing inherited reads as an attribute', () => {
    const [div] = parseHtml('<div class="a">x</div><p>y</p>').children as Element[];
    expect(Object.getPrototypeOf(div!.attribs)).toBeNull();
    expect(div!.attribs['class']).toBe('a');
    expect(div!.attribs['constructor']).toBeUndefined();
    expect('toString' in div!.attribs).toBe(false);
  });
});
