import { describe, expect, it } from 'vitest';
import type { RawBlock } from '../../../src/stages/clean/blocks.js';
import { isProseBlock, keepProseBlocks } from '../../../src/stages/clean/labels.js';

const p = (text: string, linkChars = 0): RawBlock => ({ kind: 'p', text, linkChars });
const li = (text: string, linkChars = 0): RawBlock => ({ kind: 'li', text, linkChars });
const h = (level: number, text: string, linkChars = 0): RawBlock => ({ kind: 'heading', level, text, linkChars });
const link = (text: string): RawBlock => li(text, text.length);
const texts = (blocks: RawBlock[]) => keepProseBlocks(blocks).map((b) => b.text);

const prose = 'A paragraph of real article prose, long enough to be a sentence.';

describe('isProseBlock', () => {
  it('rejects blocks that are mostly link text, but keeps pre blocks', () => {
    expect(isProseBlock(p('all links here', 14))).toBe(false);
    expect(isProseBlock(p('some text and a link', 4))).toBe(true);
    expect(isProseBlock({ kind: 'pre', text: 'code', linkChars: 4 })).toBe(true);
  });

  // Links: "a council survey of 3,000 riders" (32), "the police crash records for the last five years" (48), "a study of shop takings" (23).
  const sources = 'The plan draws on a council survey of 3,000 riders, the police crash records for the last five years, and a study of shop takings, which found no drop in trade.';
  const seeAlso = 'انظر أيضاً خريطتنا لكل المسارات المخطط لها والنص الكامل لخطة البلدية، الذي يحدد ترتيب إعادة تأهيل الشوارع.';

  it('keeps a link-dense paragraph that is a sentence with words of its own (sources, see also)', () => {
    expect(sources.length - 103).toBeGreaterThanOrEqual(40);
    expect(isProseBlock(p(sources, 103))).toBe(true);
    expect(isProseBlock(p(seeAlso, 60))).toBe(true);
  });

  it('still drops tag rows, next/previous links, link list items and paragraphs that are nearly all links', () => {
    expect(isProseBlock(p('Tags: Libraries Education Students', 29))).toBe(false);
    expect(isProseBlock(p('« Previous article: Council approves new swimming pool budget', 61))).toBe(false);
    expect(isProseBlock(li(sources, 103))).toBe(false);
    expect(isProseBlock(p(sources, sources.length - 20))).toBe(false);
    expect(isProseBlock(p(sources.replace(/\.$/, ''), 103))).toBe(false);
  });
});

describe('keepProseBlocks', () => {
  it('drops a heading that introduces a link list', () => {
    expect(texts([p(prose), h(2, 'Related stories'), link('Story one'), link('Story two')])).toEqual([prose]);
  });

  it('drops an Arabic related-posts heading by structure alone', () => {
    expect(texts([p(prose), h(3, 'مقالات ذات صلة'), link('عنوان خبر آخر')])).toEqual([prose]);
  });

  it('drops a short label before two or more links, but not before one', () => {
    expect(texts([p(prose), p('More on this topic'), link('One'), link('Two')])).toEqual([prose]);
    expect(texts([li('Solution: m = 210 g'), link('Full worked answer'), p(prose)])).toEqual(['Solution: m = 210 g', prose]);
  });

  it('keeps a label that ends like a sentence', () => {
    expect(texts([p('Here is what they said.'), link('One'), link('Two')])).toEqual(['Here is what they said.']);
  });

  it('keeps in-body subheadings followed by prose, and a heading whose subsection has prose', () => {
    const blocks = [h(2, 'Background'), h(3, 'Early years'), p(prose), h(2, 'Later'), p(prose)];
    expect(texts(blocks)).toEqual(['Background', 'Early years', prose, 'Later', prose]);
  });

  it('drops a heading whose whole section was links, up to the next heading of its rank', () => {
    const blocks = [p(prose), h(2, 'Most read'), link('A'), p('x', 1), link('B'), h(2, 'Second part'), p(prose)];
    expect(texts(blocks)).toEqual([prose, 'Second part', prose]);
  });

  it('drops a trailing short heading with nothing after it but keeps a long one', () => {
    expect(texts([p(prose), h(3, 'Comments')])).toEqual([prose]);
    const long = 'A long standfirst set as a heading that runs well past ten words in total';
    expect(texts([p(prose), h(3, long)])).toEqual([prose, long]);
  });

  it('does not count a link-dense heading as the list a heading introduces', () => {
    const lead = 'Short lead';
    expect(texts([h(2, lead), h(3, 'SEE: another story', 18), p(prose)])).toEqual([lead, prose]);
  });

  describe('teaser cards (a linked headline and a one-paragraph summary)', () => {
    const card = (title: string, blurb: string) => [h(3, title, title.length), p(blurb)];
    const blurbs = ['The board wants a smaller site near the ring road.', 'Season tickets will cost more in spring.', 'The library opens on Sundays.'];

    it('drops the summaries of two or more cards in a row, and the short label above them', () => {
      const blocks = [p(prose), p('More on this'), ...card('Depot plans', blurbs[0]!), ...card('Fares rise', blurbs[1]!), p(prose)];
      expect(texts(blocks)).toEqual([prose, prose]);
      const grid = [p(prose), h(2, 'Elsewhere today'), ...card('A', blurbs[0]!), ...card('B', blurbs[1]!), ...card('C', blurbs[2]!)];
      expect(texts(grid)).toEqual([prose]);
    });

    it('keeps a single linked headline with its paragraph, and a long section under a linked heading', () => {
      expect(texts([p(prose), ...card('Depot plans', blurbs[0]!), p(prose)])).toEqual([prose, blurbs[0], prose]);
      const long = `${prose} `.repeat(8).trim();
      expect(texts([...card('Part one', long), ...card('Part two', long)])).toEqual([long, long]);
    });

    it('keeps subheadings that are not links, whatever follows them', () => {
      const blocks = [h(3, 'Depot'), p(blurbs[0]!), h(3, 'Fares'), p(blurbs[1]!)];
      expect(texts(blocks)).toEqual(['Depot', blurbs[0], 'Fares', blurbs[1]]);
    });
  });
});
