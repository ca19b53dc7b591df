import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { defaultConfig } from '../../../src/config/schema.js';
import { clean } from '../../../src/stages/clean/index.js';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { hardPrune } from '../../../src/stages/clean/prune.js';
import { compile } from 'css-select';
import { type Matcher, loadCleanRules, loadSiteRules } from '../../../src/stages/clean/rules.js';
import { computeStats } from '../../../src/stages/clean/stats.js';
import { MIN_BODY_CHARS, selectBySelectors } from '../../../src/stages/clean/select-body.js';
import { selectByDensity } from '../../../src/stages/clean/density.js';
import { collapseSpaces, textOf } from '../../../src/stages/clean/dom.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;

const STORY = [
  'Volunteers in the village of Ashford spent eleven weekends this summer rebuilding the stone wall that runs along the old mill pond, a job the parish council had put off for more than a decade.',
  'The wall, which dates from the 1840s, had partly collapsed into the water after a storm two winters ago, and the footpath behind it was closed for safety.',
  'Retired mason Peter Lowe, who led the work, said the group reused almost every original stone, sorting them by size on the grass before fitting them back by hand.',
  'The council paid for lime mortar and a skip, while the rest of the money came from a bake sale, a quiz night and donations collected at the village shop.',
  'The footpath reopened on Saturday, and the council said it would ask the same volunteers to look at the bridge over the mill race next spring.',
];
const storyHtml = STORY.map((p) => `<p>${p}</p>`).join('\n');

const LINKS = (label: string, n: number) =>
  Array.from({ length: n }, (_, i) => `<a href="/${label}/${i}">${label} headline number ${i} about something</a><br>`).join('\n');

const LEGACY = `<html><head><title>Wall rebuilt by volunteers - The Ashford Courier</title></head>
<body bgcolor="#ffffff">
<table width="100%" border="0" cellpadding="0" cellspacing="0">
  <tr><td colspan="3"><img src="/logo.gif" alt="The Ashford Courier"></td></tr>
  <tr>
    <td id="td1" width="150" valign="top">${LINKS('section', 12)}</td>
    <td id="col2" valign="top">
      <font size="4"><b>Wall rebuilt by volunteers</b></font><br>
      <font size="2">By Staff Reporter</font><br>
      ${storyHtml}
      <a href="/print?id=1">Print this story</a> | <a href="/mail?id=1">E-mail this story</a>
    </td>
    <td id="td3" width="180" valign="top"><b>Other headlines</b><br>${LINKS('other', 10)}</td>
  </tr>
  <tr><td colspan="3"><font size="1">Copyright 2004 The Ashford Courier. All rights reserved.</font></td></tr>
</table>
</body></html>`;

function prepared(html: string) {
  const doc = parseHtml(html);
  const $ = cheerio.load(doc);
  hardPrune(doc, rules, false);
  const body = $('body').get(0) as Element;
  return { $, body, stats: computeStats(body) };
}

const matchers = (...selectors: string[]): Matcher[] =>
  selectors.map((selector) => ({ selector, test: compile<Element, Element>(selector) }));

const joined = (blocks: { text: string }[]) => blocks.map((b) => b.text).join('\n');

describe('selectByDensity', () => {
  it('finds the story cell of a legacy table layout', () => {
    const { body, stats } = prepared(LEGACY);
    const el = selectByDensity(body, rules, stats);
    expect(el.name).toBe('td');
    expect(el.attribs['id']).toBe('col2');
  });

  it('climbs over wrappers so a body split into separately wrapped paragraphs is found whole', () => {
    const wrapped = STORY.map((p) => `<div class="x"><div class="y"><p>${p}</p></div></div>`).join('');
    const { body, stats } = prepared(
      `<html><body><div id="menu">${LINKS('nav', 15)}</div><div id="story">${wrapped}</div><div id="more">${LINKS('more', 15)}</div></body></html>`,
    );
    const el = selectByDensity(body, rules, stats);
    expect(el.attribs['id']).toBe('story');
  });

  it('prefers a short prose block over a long list of links', () => {
    const { body, stats } = prepared(
      `<html><body><ul id="links">${Array.from({ length: 200 }, (_, i) => `<li><a href="/${i}">A long link text number ${i}</a></li>`).join('')}</ul><div id="text"><p>${STORY[0]}</p><p>${STORY[1]}</p></div></body></html>`,
    );
    expect(selectByDensity(body, rules, stats).attribs['id']).toBe('text');
  });
});

describe('selectBySelectors', () => {
  it('returns the first selector in order whose match has enough text', () => {
    const { body, stats } = prepared(
      `<html><body><article><div class="teaser">${STORY[0]}</div></article><div class="entry-content">${storyHtml}</div></body></html>`,
    );
    const m = selectBySelectors(body, matchers('.missing', '.entry-content', 'article'), stats);
    expect(m?.selector).toBe('.entry-content');
    expect(m?.el.attribs['class']).toBe('entry-content');
  });

  it('skips a match with too little text and one that is mostly links', () => {
    const { body, stats } = prepared(
      `<html><body><div class="article-body">Too short.</div><div class="story-body">${LINKS('x', 40)}</div><main>${storyHtml}</main></body></html>`,
    );
    const m = selectBySelectors(body, matchers('.article-body', '.story-body', 'main'), stats);
    expect(m?.selector).toBe('main');
  });

  it('picks the match with the most text among several', () => {
    const { body, stats } = prepared(
      `<html><body><div class="post-content" id="a"><p>${STORY[0]}</p><p>${STORY[1]}</p></div><div class="post-content" id="b">${storyHtml}</div></body></html>`,
    );
    expect(selectBySelectors(body, matchers('.post-content'), stats)?.el.attribs['id']).toBe('b');
  });

  it('works with the bundled body selectors and returns null when nothing qualifies', () => {
    const { body, stats } = prepared(`<html><body><div class="entry-content">${storyHtml}</div></body></html>`);
    const m = selectBySelectors(body, rules.bodySelectors, stats);
    expect(m?.selector).toContain('.entry-content');
    expect(selectBySelectors(body, matchers('.nothing-here', 'p.none'), stats)).toBeNull();
    const short = prepared(`<html><body><div class="entry-content"><p>${'x'.repeat(MIN_BODY_CHARS - 20)}</p></div></body></html>`);
    expect(selectBySelectors(short.body, rules.bodySelectors, short.stats)).toBeNull();
  });

  it('an invalid selector in a site file is a config error, not a crash later', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-sites-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ hosts: ['bad.example'], body: ['div[[['] }));
      expect(() => loadSiteRules(dir)).toThrow(/invalid selector/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('clean: body selection end to end', () => {
  const run = (html: string) =>
    clean({ source: 'inline.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' }, { rules, config });

  it('a legacy table-layout page finds the story by density', () => {
    const page = run(LEGACY);
    expect(page.bodySource).toBe('density');
    const text = joined(page.blocks);
    for (const p of STORY) expect(text).toContain(p);
    expect(text).not.toContain('section headline number');
    expect(text).not.toContain('other headline number');
    expect(text).not.toContain('Other headlines');
    expect(text).not.toContain('All rights reserved');
    expect(page.coverage).toBeGreaterThan(0.3);
    expect(page.coverage).toBeLessThanOrEqual(1);
  });

  it('uses a body selector when the page names its body', () => {
    const page = run(
      `<html><body><nav>${LINKS('nav', 10)}</nav><article><h1>Wall rebuilt</h1><div class="entry-content">${storyHtml}</div><div class="comments-area"><p>${STORY[0]!.slice(0, 60)} comment copy</p></div></article></body></html>`,
    );
    expect(page.bodySource).toBe('selector');
    expect(page.bodySelector).toContain('.entry-content');
    expect(joined(page.blocks)).toBe(STORY.join('\n'));
  });

  it('falls back to JSON-LD articleBody when the DOM has much less text', () => {
    const body = STORY.join('\n\n');
    const page = run(
      `<html><head><script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', articleBody: body })}</script></head><body><div><p>${STORY[0]}</p></div></body></html>`,
    );
    expect(page.bodySource).toBe('json-ld');
    expect(page.blocks.map((b) => b.text)).toEqual(STORY);
  });

  it('returns no blocks and zero coverage for an empty document', () => {
    const page = run('');
    expect(page.blocks).toEqual([]);
    expect(page.coverage).toBe(0);
  });

  it('strips the text of pruned chrome from the chosen body', () => {
    const page = run(
      `<html><body><div id="main"><div class="share-buttons">Share on Facebook</div>${storyHtml}<div style="display:none">Hidden promo text</div></div></body></html>`,
    );
    const text = joined(page.blocks);
    expect(text).toContain(STORY[4]);
    expect(collapseSpaces(text)).not.toContain('Share on Facebook');
    expect(text).not.toContain('Hidden promo text');
    expect(textOf(parseHtml(LEGACY))).toContain(STORY[0]); // fixture sanity
  });
});
