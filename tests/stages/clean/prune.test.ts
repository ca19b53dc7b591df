import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Document, type Element, isTag } from 'domhandler';
import * as cheerio from 'cheerio';
import { defaultConfig } from '../../../src/config/schema.js';
import { clean } from '../../../src/stages/clean/index.js';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { hardPrune, isBoilerplateElement, softPrune } from '../../../src/stages/clean/prune.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { computeStats } from '../../../src/stages/clean/stats.js';
import { collapseSpaces, elementsInOrder, textOf } from '../../../src/stages/clean/dom.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;

const PROSE = [
  'The school board approved a new bus route on Thursday, after parents on the east side of town asked for it for two years.',
  'Buses will start running in September, the district said, and the route will add about fifteen minutes to the morning loop.',
  'Board members also agreed to review the budget in March, when the state announces how much aid each district will receive.',
  'A parent group, which collected more than four hundred signatures, said it was pleased, but would keep watching the schedule.',
];
const prose = PROSE.map((p) => `<p>${p}</p>`).join('');

function body(html: string): { doc: Document; body: Element } {
  const doc = parseHtml(`<html><body>${html}</body></html>`);
  const $ = cheerio.load(doc);
  return { doc, body: $('body').get(0) as Element };
}

const text = (el: Element | Document) => collapseSpaces(textOf(el));
const byId = (root: Element, id: string) => elementsInOrder(root).find((e) => e.attribs['id'] === id);

describe('hardPrune', () => {
  it('keeps <noscript> content: on some blogs it is the only copy of the body (the script copy is a template)', () => {
    const { doc } = body('<script type="text/template"><p>Template copy.</p></script><noscript><p>The article without scripts.</p></noscript>');
    hardPrune(doc, rules, false);
    expect(text(doc)).toBe('The article without scripts.');
  });

  it('drops scripts, styles, form controls and comments', () => {
    const { doc } = body(
      '<p>Visible one.</p><script>var x = "script text";</script><style>.a{}</style><!-- a comment --><button>Click me</button><select><option>Choice</option></select><p>Visible two.</p>',
    );
    hardPrune(doc, rules, false);
    expect(text(doc)).toBe('Visible one.Visible two.');
  });

  it('drops hidden elements: hidden attribute, aria-hidden, display:none, visibility:hidden', () => {
    const { doc } = body(
      [
        '<p>Shown.</p>',
        '<div hidden>Hidden attribute.</div>',
        '<div aria-hidden="true">Aria hidden.</div>',
        '<div style="display:none">Display none.</div>',
        '<div style="color: red; display : none">Display none later.</div>',
        '<span style="VISIBILITY: hidden">Visibility hidden.</span>',
        '<div aria-hidden="false">Aria not hidden.</div>',
        '<div style="display:block">Display block.</div>',
      ].join(''),
    );
    hardPrune(doc, rules, false);
    expect(text(doc)).toBe('Shown.Aria not hidden.Display block.');
  });

  it('drops a hidden element with all of its descendants', () => {
    const { doc } = body('<div style="display:none"><p>Inner <b>bold</b></p><div><p>deeper</p></div></div><p>Kept.</p>');
    hardPrune(doc, rules, false);
    expect(text(doc)).toBe('Kept.');
  });

  it('drops figcaptions unless keepCaptions is set', () => {
    const html = '<p>Story text.</p><figure><img src="a.jpg"><figcaption>A caption under the photo.</figcaption></figure>';
    const a = body(html);
    hardPrune(a.doc, rules, false);
    expect(text(a.doc)).toBe('Story text.');
    const b = body(html);
    hardPrune(b.doc, rules, true);
    expect(text(b.doc)).toBe('Story text.A caption under the photo.');
  });

  it('keepCaptions reaches the clean stage output', () => {
    const html = `<html><body><article><div class="entry-content">${prose}<figure><figcaption>Students wait for the bus outside the school.</figcaption></figure></div></article></body></html>`;
    const page = (keepCaptions: boolean) =>
      clean({ source: 'x.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' }, { rules, config: { ...config, keepCaptions } })
        .blocks.map((b) => b.text)
        .join('\n');
    expect(page(false)).not.toContain('Students wait for the bus');
    expect(page(true)).toContain('Students wait for the bus outside the school.');
    expect(page(false)).toContain(PROSE[3]);
  });
});

describe('isBoilerplateElement', () => {
  it('flags boilerplate tags, roles and strong-negative classes', () => {
    const { body: b } = body(
      '<nav id="n">Home</nav><aside id="a">Aside</aside><footer id="f">Foot</footer><div id="r" role="navigation">Menu</div><div id="c" class="comments">Comments</div><div id="p">Plain</div>',
    );
    const stats = computeStats(b);
    for (const id of ['n', 'a', 'f', 'r', 'c']) expect(isBoilerplateElement(byId(b, id)!, rules, stats), id).toBe(true);
    expect(isBoilerplateElement(byId(b, 'p')!, rules, stats)).toBe(false);
  });

  it('a weak negative hint drops link lists but not plain prose', () => {
    const { body: b } = body(
      `<div id="links" class="widget"><a href="/1">One story</a> <a href="/2">Another story</a></div><div id="prose" class="widget">${prose}</div>`,
    );
    const stats = computeStats(b);
    expect(isBoilerplateElement(byId(b, 'links')!, rules, stats)).toBe(true);
    expect(isBoilerplateElement(byId(b, 'prose')!, rules, stats)).toBe(false);
  });

  it('a paywall class is decided by content: the story inside it stays, a short prompt goes', () => {
    const picks = '<div><a href="/1">County fair returns with a bigger hall this year</a> <a href="/2">Council votes to repave the main street</a> <a href="/3">Robotics team heads to the national finals</a></div>';
    const { body: b } = body(`<div id="story" class="paywall">${prose}${picks}${prose}</div><div id="prompt" class="paywall">Subscribe to keep reading for 1 dollar a week.</div>`);
    const stats = computeStats(b);
    const s = stats.get(byId(b, 'story')!)!;
    expect(s.link / s.text).toBeGreaterThan(0.1); // more links than a short block of prose may carry
    expect(isBoilerplateElement(byId(b, 'story')!, rules, stats)).toBe(false);
    expect(isBoilerplateElement(byId(b, 'prompt')!, rules, stats)).toBe(true);
  });

  it('a short block with many links under a weak hint is still dropped', () => {
    const { body: b } = body(`<div id="w" class="widget"><p>${PROSE[0]} <a href="/1">${PROSE[1]}</a></p></div>`);
    expect(isBoilerplateElement(byId(b, 'w')!, rules, computeStats(b))).toBe(true);
  });
});

describe('softPrune keeps the stats in step', () => {
  // Each fixture page sets its own boilerplate trap (tests/fixtures/README.md); here they serve as real trees to prune.
  const dir = new URL('../../fixtures/', import.meta.url);
  const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));

  it.each(pages)('%s: the updated figures equal computeStats on the pruned tree', (file) => {
    const doc = parseHtml(readFileSync(new URL(file, dir), 'latin1'));
    hardPrune(doc, rules, false);
    const root = elementsInOrder(doc).find((e) => e.name === 'body')!;
    const stats = computeStats(root);
    const before = stats.get(root)!.text;
    softPrune(root, rules, stats, new Set([root]));
    const fresh = computeStats(root);
    for (const el of elementsInOrder(root)) expect([el.name, stats.get(el)]).toEqual([el.name, fresh.get(el)]);
    expect(fresh.get(root)!.text).toBeLessThan(before); // every fixture has boilerplate to prune
  });

  it('counts text removed from inside a link as link text above the link', () => {
    const { body: root } = body(`<div id="story">${prose}<a href="/x"><span>Read more:</span> <span class="share">Share this story now</span></a></div>`);
    const stats = computeStats(root);
    softPrune(root, rules, stats, new Set([root]));
    expect(elementsInOrder(root).some((e) => e.attribs['class'] === 'share')).toBe(false);
    const fresh = computeStats(root);
    for (const el of elementsInOrder(root)) expect([el.name, stats.get(el)]).toEqual([el.name, fresh.get(el)]);
  });
});

describe('softPrune', () => {
  it('removes navigation, share bars and related links around the story', () => {
    const { body: b } = body(
      `<nav><a href="/">Home</a> <a href="/news">News</a></nav><div id="story">${prose}<div class="share-buttons">Share this story</div></div><div class="related-posts"><a href="/x">Related headline here</a></div><footer>Copyright line</footer>`,
    );
    softPrune(b, rules, computeStats(b), new Set());
    const t = text(b);
    expect(t).toContain(PROSE[0]);
    expect(t).toContain(PROSE[3]);
    expect(t).not.toContain('Home');
    expect(t).not.toContain('Share this story');
    expect(t).not.toContain('Related headline here');
    expect(t).not.toContain('Copyright line');
  });

  it('keeps a negative-class wrapper that holds most of the page text, but prunes inside it', () => {
    const { body: b } = body(
      `<div id="wrap" class="layout social-enabled has-sidebar"><div>${prose}</div><div class="share-bar">Share on social media</div></div><div class="sidebar"><a href="/a">Sidebar link</a></div>`,
    );
    const stats = computeStats(b);
    expect(isBoilerplateElement(byId(b, 'wrap')!, rules, stats)).toBe(true);
    softPrune(b, rules, stats, new Set());
    expect(byId(b, 'wrap')).toBeDefined();
    const t = text(b);
    expect(t).toContain(PROSE[0]);
    expect(t).toContain(PROSE[3]);
    expect(t).not.toContain('Share on social media');
    expect(t).not.toContain('Sidebar link');
  });

  it('prunes the same with the element list the clean stage already walked (stats, selectors, leads) as without it', () => {
    const html = `<nav><a href="/">Home</a></nav><div id="story">${prose}<div class="share-buttons">Share this story</div></div><aside>Elsewhere</aside>`;
    const { body: own } = body(html);
    softPrune(own, rules, computeStats(own), new Set());
    const { body: shared } = body(html);
    const order = elementsInOrder(shared);
    softPrune(shared, rules, computeStats(shared, order), new Set(), order);
    expect(text(shared)).toBe(text(own));
    expect(text(shared)).not.toContain('Share this story');
  });

  it('removes a small negative-class element holding little of the page text', () => {
    const { body: b } = body(`<div>${prose}</div><div id="small" class="comment-respond">Leave a reply</div>`);
    softPrune(b, rules, computeStats(b), new Set());
    expect(byId(b, 'small')).toBeUndefined();
    expect(text(b)).not.toContain('Leave a reply');
  });

  it('never removes elements in the keep set', () => {
    const { body: b } = body(`<div>${prose}</div><div id="kept" class="comment-respond">Leave a reply</div>`);
    const kept = byId(b, 'kept')!;
    softPrune(b, rules, computeStats(b), new Set([kept]));
    expect(byId(b, 'kept')).toBe(kept);
    expect(text(b)).toContain('Leave a reply');
  });

  it('leaves sibling links consistent after pruning', () => {
    const { body: b } = body(`<nav>n</nav><div>${prose}</div><aside>a</aside><div>tail</div>`);
    softPrune(b, rules, computeStats(b), new Set());
    const kids = b.children;
    kids.forEach((k, i) => {
      expect(k.prev).toBe(i === 0 ? null : kids[i - 1]);
      expect(k.next).toBe(i === kids.length - 1 ? null : kids[i + 1]);
    });
    expect(kids.filter(isTag).map((k) => k.name)).toEqual(['div', 'div']);
  });
});
