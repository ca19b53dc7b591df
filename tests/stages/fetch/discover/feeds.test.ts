import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { parseFeed } from '../../../../src/stages/fetch/discover/feeds.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/discover/${name}`, import.meta.url), 'utf8');
const urls = (text: string, base = 'https://news.example/feed') => parseFeed(text, base).map((d) => d.url);
const SITE = 'https://akhbar-alwadi.example';

function expectInvalid(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('FEED_INVALID');
    return;
  }
  throw new Error('expected FEED_INVALID');
}

describe('parseFeed: RSS 2.0 (ar-rss2.xml)', () => {
  const items = parseFeed(fixture('ar-rss2.xml'), `${SITE}/ar/feed`);

  it('finds the items, in order, without the channel/image/self links, the javascript: item or the repeat', () => {
    expect(items.map((i) => i.url)).toEqual([
      `${SITE}/ar/health/2020/10/07/%D9%85%D8%B3%D8%AA%D8%B4%D9%81%D9%89-%D8%A7%D9%84%D9%88%D8%A7%D8%AF%D9%8A`,
      `${SITE}/ar/economy/2020/10/07/souq-alqamh`,
      `${SITE}/ar/?p=4512`,
      `${SITE}/ar/sports/2020/10/06/nihaei-alkaas`,
      `${SITE}/ar/tech/2020/10/05/qimmat-altiqniya`,
    ]);
    expect(items.every((i) => i.via === 'feed')).toBe(true);
  });

  it('reads CDATA titles as text: tags dropped, whitespace collapsed, double-escaped entities decoded', () => {
    expect(items.map((i) => i.title)).toEqual([
      'وزير الصحة يفتتح مستشفى جديداً في الوادي',
      'أسعار القمح ترتفع في سوق المدينة',
      'افتتاح مكتبة عامة في حي النخيل',
      'فوز فريق الوادي في نهائي الكأس',
      'قمة "الوادي" للتقنية تبدأ غداً',
    ]);
  });

  it('keeps the offset of RFC 822 dates and falls back to dc:date when pubDate is unreadable', () => {
    expect(items.map((i) => i.published)).toEqual([
      '2020-10-07T12:09:00+03:00',
      '2020-10-07T09:30:00+03:00',
      '2020-10-06T22:15:00Z',
      '2020-10-05T18:00:00+03:00',
      '2020-10-05T08:00:00+03:00',
    ]);
  });
});

describe('parseFeed: RSS 1.0 (rss1-rdf.xml)', () => {
  it('reads items beside the channel, dc:date and rdf:about', () => {
    expect(parseFeed(fixture('rss1-rdf.xml'), 'https://old-times.example/rss')).toEqual([
      { url: 'https://old-times.example/2004/03/mill-closes.html', published: '2004-03-02T17:45:00-05:00', title: 'Mill closes after 90 years', via: 'feed' },
      { url: 'https://old-times.example/2004/03/fair.html', published: '2004-03-01', title: 'County fair dates set', via: 'feed' },
    ]);
  });
});

describe('parseFeed: Atom (atom-xml-base.xml)', () => {
  it('picks the HTML alternate, resolves xml:base at every level, falls back to an http(s) id', () => {
    expect(parseFeed(fixture('atom-xml-base.xml'), 'https://elsewhere.example/atom.xml')).toEqual([
      { url: 'https://blog.wadi-tech.example/ar/posts/first-look', published: '2024-10-16T08:30:00+03:00', title: 'نظرة أولى على الهاتف الجديد', via: 'feed' },
      { url: 'https://archive.wadi-tech.example/2023/review.html', published: '2023-05-01', title: 'مراجعة الحاسوب المحمول', via: 'feed' },
      { url: 'https://amp.wadi-tech.example/ar/guides/home-networks', published: '2024-10-09T06:00:00Z', title: 'دليل الشبكات المنزلية', via: 'feed' },
      { url: 'https://blog.wadi-tech.example/?p=77', published: '2024-10-08T12:00:00+03:00', title: 'ملاحظة قصيرة', via: 'feed' },
    ]);
  });

  it('resolves against baseUrl when there is no xml:base, and reads a prefixed Atom feed', () => {
    const feed = `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:title>T</a:title>
      <a:link href="/p/1"/><a:updated>2024-01-02T03:04:05Z</a:updated></a:entry></a:feed>`;
    expect(parseFeed(feed, 'https://news.example/feeds/atom')).toEqual([
      { url: 'https://news.example/p/1', published: '2024-01-02T03:04:05Z', title: 'T', via: 'feed' },
    ]);
  });
});

describe('parseFeed: JSON Feed (feed.json)', () => {
  it('reads url, external_url and http(s) ids; skips items with no usable URL', () => {
    expect(parseFeed(fixture('feed.json'), 'https://valley-gazette.example/feed.json')).toEqual([
      { url: 'https://valley-gazette.example/2024/10/16/bridge-reopens', published: '2024-10-16T14:05:00+03:00', title: 'Bridge reopens after two years’ work', via: 'feed' },
      { url: 'https://valley-gazette.example/2024/10/15/heavy-rain', published: '2024-10-15T07:00:00Z', title: 'Heavy rain expected', via: 'feed' },
      { url: 'https://other-news.example/story/42', published: null, title: 'Link post: a story elsewhere', via: 'feed' },
      { url: 'https://valley-gazette.example/?p=1006', published: '2024-10-14', title: null, via: 'feed' },
    ]);
  });

  it.each([
    ['https://jsonfeed.org/version/1'],
    ['http://jsonfeed.org/version/1.1/'],
  ])('accepts version %s', (version) => {
    expect(urls(JSON.stringify({ version, items: [{ id: '1', url: '/a' }] }))).toEqual(['https://news.example/a']);
  });
});

describe('parseFeed: link choice and URL resolution (RSS)', () => {
  const rss = (item: string) => `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><item>${item}</item></channel></rss>`;

  it.each([
    ['<link> wins over guid and atom:link', '<link>/a</link><guid>https://news.example/g</guid><atom:link href="/x"/>', ['https://news.example/a']],
    ['guid without isPermaLink is the permalink', '<guid>https://news.example/g</guid>', ['https://news.example/g']],
    ['isPermaLink="true"', '<guid isPermaLink="true">https://news.example/g</guid>', ['https://news.example/g']],
    ['isPermaLink="false" is not a link', '<guid isPermaLink="false">https://news.example/g</guid>', []],
    ['a relative guid is an id, not a link', '<guid>12345</guid>', []],
    ['a urn guid is not a link', '<guid>urn:uuid:3f1c0f8e-0000-4000-8000-000000000000</guid>', []],
    ['atom:link enclosure is not the article', '<atom:link rel="enclosure" href="/a.mp3"/>', []],
    ['atom:link alternate', '<atom:link rel="alternate" href="/b"/>', ['https://news.example/b']],
    ['javascript: is skipped', '<link>javascript:alert(1)</link>', []],
    ['mailto: is skipped', '<link>mailto:desk@news.example</link>', []],
    ['data: is skipped', '<link>data:text/html,hi</link>', []],
    ['an invalid link falls back to the guid', '<link>http://</link><guid>https://news.example/g</guid>', ['https://news.example/g']],
    ['whitespace around the link', '<link>\n   https://news.example/c \n</link>', ['https://news.example/c']],
    ['&amp; in a link', '<link>https://news.example/s?id=1&amp;p=2</link>', ['https://news.example/s?id=1&p=2']],
    ['xml:base on the item', '<link xml:base="https://cdn.example/x/">y</link>', ['https://cdn.example/x/y']],
    ['protocol-relative link', '<link>//other.example/z</link>', ['https://other.example/z']],
    ['wrong-case element names', '<LINK>/upper</LINK>', ['https://news.example/upper']],
  ])('%s', (_, item, expected) => {
    expect(urls(rss(item))).toEqual(expected);
  });

  it('keeps an absolute link when the base URL is unusable', () => {
    expect(urls(rss('<link>https://news.example/a</link>'), 'not a url')).toEqual(['https://news.example/a']);
    expect(urls(rss('<link>/a</link>'), 'not a url')).toEqual([]);
  });

  it('reads undeclared dc: prefixes and ignores content:encoded', () => {
    const [item] = parseFeed(rss('<link>/a</link><dc:date>2024-10-16</dc:date><content:encoded><![CDATA[<a href="/b">b</a>]]></content:encoded>'), 'https://news.example/');
    expect(item).toEqual({ url: 'https://news.example/a', published: '2024-10-16', title: null, via: 'feed' });
  });

  it('reads items placed beside <channel>', () => {
    expect(urls('<rss><channel><title>x</title></channel><item><link>/loose</link></item></rss>')).toEqual(['https://news.example/loose']);
  });

  it('decodes &nbsp; and numeric entities in titles; an empty title is null', () => {
    const items = parseFeed(rss('<title>A&amp;nbsp;B &#1575; &lt;i&gt;C&lt;/i&gt;</title><link>/a</link>'), 'https://news.example/');
    expect(items[0]?.title).toBe('A B ا C');
    expect(parseFeed(rss('<title>  </title><link>/a</link>'), 'https://news.example/')[0]?.title).toBeNull();
  });

  it('finds the root behind a PHP warning printed before it', () => {
    const body = '<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/feed.php</b> on line <b>12</b><br />\n<?xml version="1.0"?>\n' + rss('<link>/a</link>');
    expect(urls(body)).toEqual(['https://news.example/a']);
  });

  it('returns no items for an empty but valid feed', () => {
    expect(parseFeed('<rss version="2.0"><channel><title>x</title></channel></rss>', 'https://news.example/')).toEqual([]);
    expect(parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'https://news.example/')).toEqual([]);
    expect(parseFeed('{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'https://news.example/')).toEqual([]);
  });
});

describe('parseFeed: not a feed → FEED_INVALID', () => {
  it.each([
    ['malformed.xml (cut off in the root tag)', fixture('malformed.xml')],
    ['soft-404-feed.xml (an HTML page)', fixture('soft-404-feed.xml')],
    ['empty', ''],
    ['whitespace and a BOM', '\uFEFF  \n '],
    ['plain text', 'Service Unavailable'],
    ['a sitemap', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/</loc></url></urlset>'],
    ['an S3 error document', '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'],
    ['broken JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": ['],
    ['JSON that is not a JSON Feed', '{"items":[{"url":"https://a.example/"}]}'],
    ['a JSON array', '[{"url":"https://a.example/"}]'],
    ['only a comment', '<!-- <rss> -->'],
    ['gzip bytes read as text', '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u00ad\u0092'],
  ])('%s', (_, text) => {
    expectInvalid(() => parseFeed(text, 'https://news.example/feed'));
  });
});
