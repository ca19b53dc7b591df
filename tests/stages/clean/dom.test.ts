import { describe, expect, it } from 'vitest';
import { type Element, type ParentNode, isTag } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import {
  PairMemo,
  classAndId,
  collapseSpaces,
  elementsInOrder,
  removeNodes,
  textOf,
  visibleLength,
} from '../../../src/stages/clean/dom.js';

const root = (html: string): Element => parseHtml(html).children.find(isTag)!;
const tags = (parent: ParentNode): string[] => parent.children.filter(isTag).map((c) => c.name);

/** prev/next/parent of every child agree with the parent's children array. */
function expectLinksConsistent(parent: ParentNode): void {
  const kids = parent.children;
  kids.forEach((kid, i) => {
    expect(kid.parent).toBe(parent);
    expect(kid.prev).toBe(i === 0 ? null : kids[i - 1]);
    expect(kid.next).toBe(i === kids.length - 1 ? null : kids[i + 1]);
  });
}

describe('removeNodes', () => {
  it('removes nodes from one parent and relinks the remaining siblings', () => {
    const div = root('<div><a>1</a><b>2</b><i>3</i><u>4</u><s>5</s></div>');
    const [a, b, i, u, s] = div.children as Element[];
    removeNodes([b!, u!]);
    expect(tags(div)).toEqual(['a', 'i', 's']);
    expectLinksConsistent(div);
    expect(a!.next).toBe(i);
    expect(i!.prev).toBe(a);
    expect(i!.next).toBe(s);
    expect(s!.prev).toBe(i);
    for (const gone of [b!, u!]) {
      expect(gone.parent).toBeNull();
      expect(gone.prev).toBeNull();
      expect(gone.next).toBeNull();
    }
  });

  it('removes first and last children', () => {
    const div = root('<div><a>1</a><b>2</b><i>3</i></div>');
    const [a, b, i] = div.children as Element[];
    removeNodes([a!, i!]);
    expect(tags(div)).toEqual(['b']);
    expectLinksConsistent(div);
    expect(b!.prev).toBeNull();
    expect(b!.next).toBeNull();
  });

  it('removes all children of a parent', () => {
    const div = root('<div><a>1</a>text<b>2</b></div>');
    removeNodes([...div.children]);
    expect(div.children).toEqual([]);
    expect(textOf(div)).toBe('');
  });

  it('handles nodes under several parents in one call, text nodes included', () => {
    const div = root('<div><ul><li>1</li><li>2</li><li>3</li></ul>keep<p>x<em>y</em>z</p></div>');
    const ul = div.children[0] as Element;
    const p = div.children[2] as Element;
    removeNodes([ul.children[1]!, p.children[0]!, p.children[2]!]);
    expect(textOf(div)).toBe('13keepy');
    for (const parent of [div, ul, p]) expectLinksConsistent(parent);
    expect(tags(p)).toEqual(['em']);
  });

  it('ignores detached nodes and duplicates', () => {
    const div = root('<div><a>1</a><b>2</b><i>3</i></div>');
    const b = div.children[1]!;
    removeNodes([b, b]);
    removeNodes([b]); // already detached: no-op
    expect(tags(div)).toEqual(['a', 'i']);
    expectLinksConsistent(div);
  });

  it('removes many nodes from a large flat parent', () => {
    const n = 5_000;
    const div = root(`<div>${'<p>x</p><span>y</span>'.repeat(n)}</div>`);
    const spans = div.children.filter((c) => isTag(c) && c.name === 'span');
    removeNodes(spans);
    expect(div.children).toHaveLength(n);
    expectLinksConsistent(div);
  });
});

describe('dom helpers', () => {
  it('elementsInOrder lists elements in document order, root first', () => {
    const div = root('<div><h2>a</h2><p>b<em>c</em></p><ul><li>d</li></ul></div>');
    expect(elementsInOrder(div).map((e) => e.name)).toEqual(['div', 'h2', 'p', 'em', 'ul', 'li']);
  });

  it('textOf concatenates text in order', () => {
    expect(textOf(root('<div>a<b>b<i>c</i></b>d</div>'))).toBe('abcd');
  });

  it('classAndId is lower-cased class + id, empty without either', () => {
    expect(classAndId(root('<div class="Entry-Content Big" id="Main">x</div>'))).toBe('entry-content big main');
    expect(classAndId(root('<div id="Only">x</div>'))).toBe(' only');
    expect(classAndId(root('<div>x</div>'))).toBe('');
  });

  it('collapseSpaces and visibleLength treat whitespace runs as one space', () => {
    expect(collapseSpaces('  a \n\t b\u00a0 ')).toBe('a b');
    expect(visibleLength('abc')).toBe(3);
    expect(visibleLength('  a   b  ')).toBe(4); // "a b " : leading run dropped, inner and trailing count once
    expect(visibleLength('a\u00a0\u00a0b')).toBe(3);
    expect(visibleLength('')).toBe(0);
  });
});

describe('PairMemo', () => {
  it('keys by both strings, not by their concatenation', () => {
    const memo = new PairMemo<number>();
    expect(memo.set('a b', 'c', 1)).toBe(1);
    expect(memo.get('a b', 'c')).toBe(1);
    expect(memo.get('a', 'b c')).toBeUndefined(); // "a b c" either way
    expect(memo.get('a b', '')).toBeUndefined();
    memo.set('a', 'b c', 2);
    expect(memo.get('a b', 'c')).toBe(1);
    expect(memo.get('a', 'b c')).toBe(2);
  });

  it('holds at most its bound: full, it starts again', () => {
    const memo = new PairMemo<boolean>(2);
    memo.set('x', '1', true);
    memo.set('x', '2', false);
    expect(memo.get('x', '2')).toBe(false);
    memo.set('y', '', true); // the third entry clears the first two
    expect(memo.get('x', '1')).toBeUndefined();
    expect(memo.get('x', '2')).toBeUndefined();
    expect(memo.get('y', '')).toBe(true);
  });
});
