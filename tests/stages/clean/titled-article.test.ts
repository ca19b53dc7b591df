import { describe, expect, it } from 'vitest';
import type { Element } from 'domhandler';
import * as cheerio from 'cheerio';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { computeStats } from '../../../src/stages/clean/stats.js';
import { elementsInOrder } from '../../../src/stages/clean/dom.js';
import { titledArticle } from '../../../src/stages/clean/titled-article.js';

const para = (topic: string) =>
  `<p>The ${topic} story goes on for a while, with enough words in each sentence to count as prose, and a second clause after the comma.</p>`.repeat(3);

function page(html: string) {
  const doc = parseHtml(`<html><body>${html}</body></html>`);
  const body = cheerio.load(doc)('body').get(0) as Element;
  const stats = computeStats(body);
  const byId = (id: string) => elementsInOrder(body).find((e) => e.attribs['id'] === id)!;
  return { body, stats, byId };
}

const TWO = `<main id="main"><article id="a1"><h1>Ferry service resumes after pier repairs</h1><div id="t1">${para('ferry')}</div></article>
<div class="next"><article id="a2"><h1>Town hall clock will chime again</h1><div id="t2">${para('clock')}${para('clock')}</div></article></div></main>`;

describe('titledArticle', () => {
  it('moves from an appended article to the one whose headline matches the declared title', () => {
    const { body, stats, byId } = page(TWO);
    expect(titledArticle(body, byId('t2'), ['Ferry service resumes after pier repairs | The Post'], stats)).toBe(byId('a1'));
  });

  it('narrows a root that holds the titled article and another one', () => {
    const { body, stats, byId } = page(TWO);
    expect(titledArticle(body, byId('main'), ['Ferry service resumes after pier repairs'], stats)).toBe(byId('a1'));
  });

  it('changes nothing when the root is already inside the titled article', () => {
    const { body, stats, byId } = page(TWO);
    expect(titledArticle(body, byId('t1'), ['Ferry service resumes after pier repairs'], stats)).toBeNull();
  });

  it('changes nothing when no article headline matches, or when two do', () => {
    const { body, stats, byId } = page(TWO);
    expect(titledArticle(body, byId('t2'), ['Something else entirely happened today'], stats)).toBeNull();
    expect(titledArticle(body, byId('t2'), [null, undefined], stats)).toBeNull();
    const twin = page(TWO.replace('Town hall clock will chime again', 'Ferry service resumes after pier repairs'));
    expect(titledArticle(twin.body, twin.byId('t2'), ['Ferry service resumes after pier repairs'], twin.stats)).toBeNull();
  });

  it('changes nothing on a page with a single substantial article (comments as small articles do not count)', () => {
    const { body, stats, byId } = page(`<article id="a1"><h1>Ferry service resumes after pier repairs</h1><div id="t1">${para('ferry')}</div></article><article id="c"><h2>Reply from a reader here</h2><p>Nice.</p></article>`);
    expect(titledArticle(body, byId('t1'), ['Ferry service resumes after pier repairs'], stats)).toBeNull();
    expect(titledArticle(body, byId('c'), ['Ferry service resumes after pier repairs'], stats)).toBeNull();
  });
});
