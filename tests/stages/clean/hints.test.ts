import { describe, expect, it } from 'vitest';
import { type Element, isTag } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { classifyHint } from '../../../src/stages/clean/hints.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';

const rules = loadCleanRules();

/** A fresh element (classifyHint memoizes by class and id). */
function el(attrs: { class?: string; id?: string }): Element {
  const a = [attrs.class !== undefined ? `class="${attrs.class}"` : '', attrs.id !== undefined ? `id="${attrs.id}"` : ''].join(' ');
  return parseHtml(`<div ${a}>x</div>`).children.find(isTag)!;
}
const hintOf = (cls: string) => classifyHint(el({ class: cls }), rules);

describe('classifyHint', () => {
  it.each([
    ['entry-content', 'strong-positive'],
    ['entry-content clearfix', 'strong-positive'],
    ['article-body', 'strong-positive'],
    ['articleBody', 'strong-positive'],
    ['td-post-content tagdiv-type', 'strong-positive'],
    ['jeg_post_content', 'strong-positive'],
    ['field field--name-body field--type-text-with-summary', 'strong-positive'],
  ])('%s is %s', (cls, hint) => {
    expect(hintOf(cls)).toBe(hint);
  });

  it.each([
    ['comment-respond', 'strong-negative'],
    ['comments-area', 'strong-negative'],
    ['related-posts', 'strong-negative'],
    ['share-buttons', 'strong-negative'],
    ['jeg_share_top_container', 'strong-negative'],
    ['newsletter-box', 'strong-negative'],
    ['most-read', 'strong-negative'],
    ['post-tags', 'strong-negative'],
    ['entry-meta', 'strong-negative'],
    ['sr-only', 'strong-negative'],
    ['cookie-banner', 'strong-negative'],
    ['twitter-tweet', 'strong-negative'],
    ['instagram-media', 'strong-negative'],
    ['tiktok-embed', 'strong-negative'],
  ])('%s is %s', (cls, hint) => {
    expect(hintOf(cls)).toBe(hint);
  });

  it.each([
    ['widget', 'negative'],
    ['widget widget_recent_entries', 'negative'],
    ['sidebar', 'negative'],
    ['site-footer', 'negative'],
    ['topMenu', 'negative'],
    ['byline', 'negative'],
    ['entry themeform share', 'negative'],
    ['c-story__byline', 'negative'],
    ['ArticleHeader_meta__R7bcA', 'negative'],
    ['c-nav__item c-nav__item--active', 'negative'],
    ['audio-player', 'negative'],
    ['videoPlayer', 'negative'],
    ['opinion-disclaimer', 'negative'],
  ])('%s is a weak %s hint', (cls, hint) => {
    expect(hintOf(cls)).toBe(hint);
  });

  it('reads the BEM element / CSS-module name before the block name', () => {
    expect(hintOf('c-story__body')).toBe('positive');
    expect(hintOf('Teaser_body__Vq9kS')).toBe('positive');
    expect(hintOf('c-story__headline-wrap')).toBe('positive'); // no hint in the element part: the block's "story" counts
  });

  it('does not read a WordPress tag-* body class as boilerplate', () => {
    expect(hintOf('tag-politics post')).toBe('positive');
    expect(hintOf('tag-politics')).toBe('neutral');
  });

  it.each([
    ['post', 'positive'],
    ['story', 'positive'],
    ['mainBody', 'positive'],
    ['single-post hentry', 'positive'],
  ])('%s is %s', (cls, hint) => {
    expect(hintOf(cls)).toBe(hint);
  });

  it('mixed or meaningless words are neutral', () => {
    expect(hintOf('sidebar content')).toBe('neutral');
    expect(hintOf('col-md-8 clearfix')).toBe('neutral');
    expect(classifyHint(el({}), rules)).toBe('neutral');
  });

  it('reads the id as well as the class', () => {
    expect(classifyHint(el({ id: 'comments' }), rules)).toBe('strong-negative');
    expect(classifyHint(el({ id: 'articleBody' }), rules)).toBe('strong-positive');
    expect(classifyHint(el({ class: 'box', id: 'sidebar' }), rules)).toBe('negative');
  });

  it('is case-insensitive', () => {
    expect(hintOf('ENTRY-CONTENT')).toBe('strong-positive');
    expect(hintOf('Comment-Respond')).toBe('strong-negative');
    expect(hintOf('WIDGET')).toBe('negative');
  });

  it('splits tokens into words at _ - : . / and at a lower-to-upper case change, not between capitals', () => {
    expect(hintOf('xSidebar')).toBe('negative'); // x + sidebar
    expect(hintOf('x:sidebar')).toBe('negative');
    expect(hintOf('x.sidebar/y')).toBe('negative');
    expect(hintOf('SIDEBARwide')).toBe('neutral'); // one word: no lower-to-upper change
    expect(hintOf('xSIDEBAR')).toBe('negative'); // x + sidebar (lower-cased)
    expect(hintOf('xsidebar')).toBe('neutral');
  });

  it('gives the same answer for the same element twice', () => {
    const e = el({ class: 'widget' });
    expect(classifyHint(e, rules)).toBe('negative');
    expect(classifyHint(e, rules)).toBe('negative');
  });
});

describe('classifyHint on headings', () => {
  const heading = (tag: string, id: string) => parseHtml(`<${tag} id="${id}">x</${tag}>`).children.find(isTag)!;
  it('ignores slug ids made from the heading text', () => {
    expect(classifyHint(heading('h2', 'what-are-you-looking-forward-to-next'), rules)).toBe('neutral');
    expect(classifyHint(heading('h3', 'share_your_story_with_us'), rules)).toBe('neutral');
  });
  it('still reads short ids on headings and slug ids on other elements', () => {
    expect(classifyHint(heading('h2', 'comments'), rules)).toBe('strong-negative');
    expect(classifyHint(heading('div', 'what-to-read-next'), rules)).not.toBe('neutral');
  });
});
