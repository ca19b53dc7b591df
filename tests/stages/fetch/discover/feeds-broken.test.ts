/**
 * Feeds that are not well-formed XML: parseFeedChecked yields the items that
 * can be read and names the fault; a broken feed with nothing readable is
 * FEED_INVALID.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { parseFeed, parseFeedChecked } from '../../../../src/stages/fetch/discover/feeds.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/discover/${name}`, import.meta.url), 'utf8');
const SITE = 'https://akhbar-alwadi.example';

describe('parseFeedChecked', () => {
  it('a feed cut mid-item: the whole items, not the cut link, and the fault named', () => {
    const { items, problem } = parseFeedChecked(fixture('truncated-feed.xml'), `${SITE}/feed`);
    expect(items).toEqual([
      { url: `${SITE}/ar/local/jisr`, published: '2026-12-04T09:00:00+03:00', title: 'افتتاح جسر الوادي', via: 'feed' },
      { url: `${SITE}/ar/culture/maarad`, published: '2026-12-04T08:00:00+03:00', title: 'معرض الكتاب', via: 'feed' },
      { url: `${SITE}/ar/local/madrasa`, published: '2026-12-03T18:00:00+03:00', title: 'مدرسة جديدة', via: 'feed' },
    ]);
    expect(problem).toMatch(/input ends inside <link>/);
    expect(parseFeed(fixture('truncated-feed.xml'), `${SITE}/feed`)).toEqual(items);
  });

  it('an item cut after its whole link is kept, without its cut title', () => {
    const { items, problem } = parseFeedChecked('<rss><channel><item><link>https://a.example/1</link><title>Half a ti', 'https://a.example/');
    expect(items).toEqual([{ url: 'https://a.example/1', published: null, title: null, via: 'feed' }]);
    expect(problem).not.toBeNull();
  });

  it('a mismatched close tag in Atom is reported; the entries around it are read', () => {
    const body = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A <b>bold</title><link href="https://a.example/a"/></entry>
      <entry><link href="https://a.example/b"/><title>B</titel></entry></feed>`;
    const { items, problem } = parseFeedChecked(body, 'https://a.example/');
    expect(items).toEqual([
      { url: 'https://a.example/a', published: null, title: 'A bold', via: 'feed' },
      // the stray </titel> closes nothing: </entry> then closes the title too
      { url: 'https://a.example/b', published: null, title: 'B', via: 'feed' },
    ]);
    expect(problem).toMatch(/<\/title> closes <b>, left open/);
  });

  it('well-formed feeds (and JSON Feed) have no problem', () => {
    for (const name of ['ar-rss2.xml', 'atom-xml-base.xml', 'rss1-rdf.xml', 'feed.json']) {
      expect(parseFeedChecked(fixture(name), `${SITE}/feed`).problem, name).toBeNull();
    }
  });

  it('broken XML that yields nothing is FEED_INVALID', () => {
    const run = () => parseFeedChecked('<rss><channel><item><title>x</title><link>https://a.example/cut', 'https://a.example/');
    expect(run).toThrow(NewscleanError);
    expect(run).toThrow(/Not well-formed XML/);
  });
});
