import { describe, expect, it } from 'vitest';
import { type Element, isTag } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { computeStats, contentChars, linkDensity } from '../../../src/stages/clean/stats.js';
import { elementsInOrder, visibleLength } from '../../../src/stages/clean/dom.js';

const body = (html: string): Element => parseHtml(`<body>${html}</body>`).children.find(isTag)!;
const byName = (root: Element, name: string): Element => elementsInOrder(root).find((el) => el.name === name)!;

describe('computeStats', () => {
  it('counts visible text with whitespace runs as one character', () => {
    const root = body('<p>  one \n\t two\u00a0\u00a0three </p>');
    expect(computeStats(root).get(root)).toEqual({ text: visibleLength('  one \n\t two\u00a0\u00a0three '), link: 0, commas: 0 });
    expect(computeStats(root).get(root)!.text).toBe(14);
  });

  it('counts Latin, Arabic, ideographic and fullwidth commas', () => {
    const root = body('<p>a, b، c、d，e</p><p>,,</p>');
    expect(computeStats(root).get(root)!.commas).toBe(6);
  });

  it('sums children bottom-up and counts link text', () => {
    const root = body('<div><p>Some prose, here.</p><ul><li><a href="/x">Link one</a></li></ul></div>');
    const stats = computeStats(root);
    const div = byName(root, 'div');
    expect(stats.get(byName(root, 'a'))).toEqual({ text: 8, link: 8, commas: 0 });
    expect(stats.get(div)).toEqual({ text: 25, link: 8, commas: 1 });
    expect(contentChars(stats, div)).toBe(17);
    expect(linkDensity(stats.get(div))).toBeCloseTo(8 / 25);
  });
});
