import { describe, expect, it } from 'vitest';
import { STORY_BODY as BODY, cleanTexts as texts } from '../../helpers/clean-texts.js';

const LEAD = 'A decade after the council shelved the job, eleven weekends of volunteer work have put the mill-pond wall back together.';

describe('the standfirst outside the body element', () => {
  it('is put back in front of the body when it sits in the article header', () => {
    const html = `<html><body><header class="site-header"><p>Ashford Gazette, your village paper since 1921, news every week</p></header>
      <article><header><h1>Wall rebuilt</h1><p>${LEAD}</p></header><div class="entry-content">${BODY}</div></article></body></html>`;
    const out = texts(html);
    expect(out[0]).toBe(LEAD);
    expect(out).not.toContain('Ashford Gazette, your village paper since 1921, news every week');
  });

  it('is put back when the body found is the <article> itself and its <header> was pruned', () => {
    const html = `<html><body><article><header><h1>Wall rebuilt</h1><p>${LEAD}</p></header>${BODY}</article></body></html>`;
    const out = texts(html);
    expect(out[0]).toBe(LEAD);
    expect(out.filter((t) => t === LEAD)).toHaveLength(1);
  });

  it('is not a notice box (<aside>) in the article header', () => {
    const notice = 'This report comes from a news agency and was published without editing by our newsroom.';
    const html = `<html><body><article><header><h1>Wall rebuilt</h1><p>${LEAD}</p><aside><p>${notice}</p></aside></header><div class="entry-content">${BODY}</div></article></body></html>`;
    const out = texts(html);
    expect(out[0]).toBe(LEAD);
    expect(out).not.toContain(notice);
  });

  it('is found by its class (dek, intro, chapô, bajada) before the body', () => {
    for (const cls of ['article-dek', 'intro', 'chapo', 'bajada', 'entry__subtitle']) {
      const html = `<html><body><article><h1>Wall rebuilt</h1><div class="${cls}">${LEAD}</div><div class="article-body">${BODY}</div></article></body></html>`;
      expect(texts(html)[0], cls).toBe(LEAD);
    }
  });

  it('is found by a naming data attribute when class names are hashed', () => {
    for (const attr of ['data-testid="article-intro"', 'data-component="dek"']) {
      const html = `<html><body><article><h1>Wall rebuilt</h1><div class="x9f2a" ${attr}><p class="q1">${LEAD}</p></div><div class="article-body">${BODY}</div></article></body></html>`;
      expect(texts(html)[0], attr).toBe(LEAD);
    }
  });

  it('is found as the element holding the declared description word for word', () => {
    const page = (description: string) =>
      `<html><head><meta property="og:description" content="${description}"></head><body><article><h1>Wall rebuilt</h1><div class="x9f2a"><p class="q1">${LEAD}</p></div><div class="article-body">${BODY}</div></article></body></html>`;
    expect(texts(page(LEAD))[0]).toBe(LEAD);
    // A description that only resembles the paragraph names nothing.
    expect(texts(page(LEAD.replace('eleven', 'twelve')))).not.toContain(LEAD);
  });

  it('is found as the declared description behind a place dateline, but not behind a longer text', () => {
    const page = (shown: string) =>
      `<html><head><meta property="og:description" content="${LEAD}"></head><body><article><h1>Wall rebuilt</h1><div class="x9f2a"><p class="q1">${shown}</p></div><div class="article-body">${BODY}</div></article></body></html>`;
    expect(texts(page(`Ashford. ${LEAD}`))[0]).toBe(`Ashford. ${LEAD}`);
    expect(texts(page(`Lower Ashford - ${LEAD}`))[0]).toBe(`Lower Ashford - ${LEAD}`);
    const longer = `Our reporter spent a weekend there. ${LEAD}`;
    expect(texts(page(longer))).not.toContain(longer);
  });

  it('is not taken from another article or from after the body', () => {
    const other = `<article><p class="intro">${LEAD}</p></article>`;
    const html = `<html><body>${other}<article><h1>Wall rebuilt</h1><div class="entry-content">${BODY}</div><p class="summary">${LEAD}</p></article></body></html>`;
    expect(texts(html)).not.toContain(LEAD);
  });

  it('skips link-heavy "intro" blocks', () => {
    const linked = `<div class="intro"><a href="/a">${LEAD}</a></div>`;
    const html = `<html><body><article>${linked}<div class="entry-content">${BODY}</div></article></body></html>`;
    expect(texts(html)).not.toContain(LEAD);
  });

  it('works without an <article> element: a .news-single or <main> wrapper holds headline, lead and body', () => {
    const html = `<html><body><main><div class="news news-single"><h1>Wall rebuilt</h1><div class="teaser-text"><p>${LEAD}</p></div>
      <div class="news-text">${BODY}</div></div></main></body></html>`;
    expect(texts(html)[0]).toBe(LEAD);
  });

  it('takes nothing from before the headline (a teaser strip above the story)', () => {
    const html = `<html><body><main><div class="intro">${LEAD}</div><h1>Wall rebuilt</h1><div class="entry-content">${BODY}</div></main></body></html>`;
    expect(texts(html)).not.toContain(LEAD);
  });

  it('takes a lead-classed header that wraps the headline', () => {
    const html = `<html><body><main><header class="intro-header"><h1>Wall rebuilt</h1><p class="a-lead">${LEAD}</p></header>
      <div class="article-body">${BODY}</div></main></body></html>`;
    expect(texts(html)).toContain(LEAD);
  });
});

