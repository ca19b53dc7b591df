import { describe, expect, it } from 'vitest';
import type { Document, Element } from 'domhandler';
import * as cheerio from 'cheerio';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { hardPrune } from '../../../src/stages/clean/prune.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { computeStats } from '../../../src/stages/clean/stats.js';
import { collapseSpaces, textOf } from '../../../src/stages/clean/dom.js';
import { type BoxGuards, dropImageBoxes } from '../../../src/stages/clean/image-boxes.js';

const rules = loadCleanRules();
const PROSE =
  '<p>The ferry sailed again on Monday morning, six weeks after a winter storm tore away part of the wooden pier on the island.</p>' +
  '<p>Contractors replaced eleven pilings and the landing deck, and the harbour office approved the work after a final inspection.</p>';

/** Prune the page as the clean stage does and return the text left in <body>. */
function run(html: string, guards: Partial<BoxGuards> = {}): string {
  const doc: Document = parseHtml(`<html><body>${html}</body></html>`);
  const pictures: Element[] = [];
  hardPrune(doc, rules, false, undefined, pictures);
  const body = cheerio.load(doc)('body').get(0) as Element;
  const stats = computeStats(body);
  dropImageBoxes(pictures, stats, body, { lead: null, description: null, keep: null, ...guards });
  expect(stats.get(body)!.text).toBe(computeStats(body).get(body)!.text); // kept in step
  return collapseSpaces(textOf(body));
}

describe('dropImageBoxes', () => {
  it('says how many boxes it removed (the clean stage re-walks the tree only then)', () => {
    const drop = (html: string): number => {
      const doc: Document = parseHtml(`<html><body>${html}</body></html>`);
      const pictures: Element[] = [];
      hardPrune(doc, rules, false, undefined, pictures);
      const body = cheerio.load(doc)('body').get(0) as Element;
      return dropImageBoxes(pictures, computeStats(body), body, { lead: null, description: null, keep: null });
    };
    expect(drop(`${PROSE}<div class="pic"><img src="a.jpg" width="800"><p>A made-up caption of a quiet harbour.</p></div>`)).toBe(1);
    expect(drop(PROSE)).toBe(0);
  });

  it('drops the short text in a box beside a picture, however the box is named', () => {
    const caption = 'A pup rests on the northern bank at low tide.';
    expect(run(`${PROSE}<div class="pic"><img src="a.jpg" width="800"><p>${caption}</p></div>`)).not.toContain(caption);
    expect(run(`${PROSE}<div><a href="a.jpg"><img src="a.jpg"></a><span>${caption}</span></div>`)).not.toContain(caption);
    expect(run(`${PROSE}<div><picture><source srcset="a.webp"><img src="a.jpg"></picture><p>${caption}</p></div>`)).not.toContain(caption);
  });

  it('climbs past a few characters on the picture itself (a play button, a duration) to the caption box', () => {
    const title = 'Highlights from the harbour regatta, with the winning crew';
    const html = `<figure><p><span>Video</span> <span>${title}</span></p><div><a href="/v/1"><span>01:42</span><div><img src="p.jpg" width="992"></div></a></div></figure>`;
    expect(run(PROSE + html)).not.toContain(title);
  });

  it('keeps paragraphs with an inline picture, icons and emoji, and long text beside a picture', () => {
    const inline = '<p>The warden waved from the dunes as the count ended. <img src="b.jpg" width="600"></p>';
    expect(run(PROSE + inline)).toContain('The warden waved');
    const icon = '<div><img src="x.png" width="16" height="16"><span>Seal count at a glance</span></div>';
    expect(run(PROSE + icon)).toContain('Seal count at a glance');
    const emoji = '<div>Seal count at a glance <img class="emoji" src="s.png"></div>';
    expect(run(PROSE + emoji)).toContain('Seal count at a glance');
    const long = `<div><img src="c.jpg"><p>${'The rangers walked the shoreline at low tide on three mornings. '.repeat(6)}</p></div>`;
    expect(run(PROSE + long)).toContain('The rangers walked');
  });

  it('keeps a box with a heading (story header, card), the standfirst and the selected body', () => {
    const header = '<div class="top"><img src="w.jpg"><h1>Seals return</h1><p>Sixty seals counted.</p></div>';
    expect(run(header + PROSE)).toContain('Sixty seals counted.');
    const lead = 'Rangers counted more than sixty seals on the sandbanks this spring.';
    const box = `<div class="top-media"><img src="w.jpg"><div>${lead}</div></div>`;
    expect(run(box + PROSE, { description: lead })).toContain(lead);
    const doc = parseHtml(`<html><body>${box}${PROSE}</body></html>`);
    const pictures: Element[] = [];
    hardPrune(doc, rules, false, undefined, pictures);
    const body = cheerio.load(doc)('body').get(0) as Element;
    const leadEl = cheerio.load(doc)('.top-media div').get(0) as Element;
    dropImageBoxes(pictures, computeStats(body), body, { lead: leadEl, description: null, keep: null });
    expect(collapseSpaces(textOf(body))).toContain(lead);
  });
});
