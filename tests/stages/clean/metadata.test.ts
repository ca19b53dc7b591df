import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { extractMetadata } from '../../../src/stages/clean/metadata.js';
import type { DateSource, RawMetadata } from '../../../src/shared/types.js';

/** The values of one source's date candidates for a role. */
function datesFrom(m: RawMetadata, role: 'published' | 'modified', source: DateSource): string[] {
  return (m.dates?.[role] ?? []).filter((c) => c.source === source).map((c) => c.value);
}

function metaOf(html: string): RawMetadata {
  return extractMetadata(cheerio.load(parseHtml(html))).meta;
}

const FULL = `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<title>  الميناء يستقبل أول سفينة سياحية | صحيفة الساحل  </title>
<link rel="canonical" href=" https://sahil.example/news/port-cruise ">
<meta property="og:url" content="https://sahil.example/news/port-cruise?utm=x">
<meta property="og:title" content="الميناء يستقبل أول سفينة سياحية">
<meta property="og:site_name" content="صحيفة الساحل">
<meta property="og:type" content="article">
<meta property="og:locale" content="ar_AR">
<meta property="og:image" content="/img/cruise.jpg">
<meta name="description" content="وصف قصير للخبر">
<meta property="article:published_time" content="2023-05-02T08:30:00+03:00">
<meta property="article:modified_time" content="2023-05-02T10:00:00+03:00">
<meta property="article:section" content="اقتصاد">
<meta property="article:tag" content="سياحة">
<meta property="article:tag" content="موانئ">
<meta property="article:author" content="https://facebook.example/someone">
<meta name="news_keywords" content="سفن, بحر">
<meta name="empty" content="   ">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"عنوان من JSON-LD",
 "author":[{"@type":"Person","name":"ليلى حداد"},"سامر يوسف"],
 "datePublished":"2023-05-02T05:30:00Z","publisher":{"@type":"Organization","name":"مؤسسة الساحل"},
 "keywords":["مرفأ","سياحة بحرية"]}
</script>
</head>
<body><header><div class="site">Logo</div></header><article><h1> الميناء   يستقبل أول سفينة </h1><p>نص.</p></article></body>
</html>`;

describe('extractMetadata', () => {
  const m = metaOf(FULL);

  it('reads html lang/dir, canonical and og:url as found', () => {
    expect(m.htmlLang).toBe('ar');
    expect(m.htmlDir).toBe('rtl');
    expect(m.canonicalUrl).toBe('https://sahil.example/news/port-cruise');
    expect(m.ogUrl).toBe('https://sahil.example/news/port-cruise?utm=x');
    expect(m.metaLang).toBe('ar_AR');
  });

  it('collects every title candidate by source', () => {
    expect(m.titles).toEqual({
      og: 'الميناء يستقبل أول سفينة سياحية',
      jsonLd: 'عنوان من JSON-LD',
      meta: null,
      htmlTitle: 'الميناء يستقبل أول سفينة سياحية | صحيفة الساحل',
      h1: 'الميناء يستقبل أول سفينة',
      declared: 'عنوان من JSON-LD',
      crumbH1: null,
    });
  });

  it('prefers JSON-LD for authors and dates, drops URL authors', () => {
    expect(m.authors).toEqual(['ليلى حداد', 'سامر يوسف']);
    expect(m.authors.some((a) => a.startsWith('http'))).toBe(false);
    expect(m.dates?.published.slice(0, 2)).toEqual([
      { value: '2023-05-02T05:30:00Z', source: 'json-ld' },
      { value: '2023-05-02T08:30:00+03:00', source: 'meta' },
    ]);
    expect(m.dates?.modified).toEqual([{ value: '2023-05-02T10:00:00+03:00', source: 'meta' }]);
  });

  it('reads site name (JSON-LD publisher first), description, section, image and types', () => {
    expect(m.siteName).toBe('مؤسسة الساحل');
    expect(m.siteNames).toEqual(['مؤسسة الساحل', 'صحيفة الساحل']);
    expect(m.description).toBe('وصف قصير للخبر');
    expect(m.section).toBe('اقتصاد');
    expect(m.image).toBe('/img/cruise.jpg');
    expect(m.types).toEqual(['article', 'newsarticle']);
  });

  it('merges tags from article:tag, JSON-LD keywords and news_keywords', () => {
    expect(m.tags).toEqual(['سياحة', 'موانئ', 'مرفأ', 'سياحة بحرية', 'سفن', 'بحر']);
  });
});

describe('extractMetadata: JSON-LD and body from the same walk', () => {
  it('reads every ld+json script (type matched case-insensitively, exactly) and returns the first <body>', () => {
    const html = `<html><head>
      <script type="Application/LD+JSON">{"@type":"NewsArticle","headline":"Harbour reopens"}</script>
      <script type="application/ld+json">{"@graph":[{"@type":"Organization","name":"Coast Daily"}]}</script>
      <script type="application/ld+json+x">{"@type":"Event","name":"not JSON-LD by its type"}</script>
      <script>{"@type":"Event","name":"no type"}</script>
    </head><body id="b1"><p>x</p></body></html>`;
    const { meta, ld, body } = extractMetadata(cheerio.load(parseHtml(html)));
    expect(ld.map((o) => o['@type']).filter(Boolean)).toEqual(['NewsArticle', 'Organization']);
    expect(meta.titles.jsonLd).toBe('Harbour reopens');
    expect(body?.attribs['id']).toBe('b1');
  });
});

describe('extractMetadata h1 candidate', () => {
  it('prefers the h1 inside <article> over a site-logo h1 that comes first', () => {
    const m = metaOf('<html><body><header><h1 class="logo">The Valley Times</h1></header><article><h1>Dam repairs finish early</h1><p>x</p></article></body></html>');
    expect(m.titles.h1).toBe('Dam repairs finish early');
  });

  it('prefers an itemprop=headline over an earlier plain h1', () => {
    const m = metaOf('<html><body><h1>Site name</h1><div><h2 itemprop="headline">Real headline</h2></div></body></html>');
    expect(m.titles.h1).toBe('Real headline');
  });

  it('skips an h1 inside a breadcrumb trail for the next heading, noting it as crumbH1', () => {
    const m = metaOf('<html><body><nav class="crumbs"><a href="/">Home</a><h1>Ferry service restored</h1></nav><article><h2>Night ferry returns</h2><p>x</p></article></body></html>');
    expect(m.titles.h1).toBe('Night ferry returns');
    expect(m.titles.crumbH1).toBe('Ferry service restored');
    const ld = metaOf('<html><body><ol itemtype="https://schema.org/BreadcrumbList"><li><h1>عنوان المسار</h1></li></ol><h2>عنوان المقال</h2></body></html>');
    expect(ld.titles.h1).toBe('عنوان المقال');
    const alone = metaOf('<html><body><div class="breadcrumb"><h1>Only the trail has it</h1></div><p>x</p></body></html>');
    expect(alone.titles.h1).toBe('Only the trail has it');
  });

  it('drops a kicker part of the heading (kicker class, aria-hidden dash) unless og:title repeats the whole heading', () => {
    const h = '<h1><span class="article-kicker">Harbour works</span><span aria-hidden="true"> – </span><span class="article-headline">Night ferry returns</span></h1>';
    expect(metaOf(`<html><body><article>${h}</article></body></html>`).titles.h1).toBe('Night ferry returns');
    const whole = '<html><head><meta property="og:title" content="Harbour works – Night ferry returns"></head><body>' + h + '</body></html>';
    expect(metaOf(whole).titles.h1).toBe('Harbour works – Night ferry returns');
  });

  it('takes the headline-class child when other text precedes it in the heading', () => {
    const m = metaOf('<html><body><h2 itemprop="headline"><span class="x">عاجل</span><span class="big-headline">وصول أول سفينة</span></h2></body></html>');
    expect(m.titles.h1).toBe('وصول أول سفينة');
    expect(metaOf('<html><body><h1><span class="headline">Only part</span></h1></body></html>').titles.h1).toBe('Only part');
  });

  it('falls back to the first h1 anywhere', () => {
    const m = metaOf('<html><body><div><h1>Only heading</h1></div><h1>Second heading</h1></body></html>');
    expect(m.titles.h1).toBe('Only heading');
  });
});

describe('extractMetadata fallbacks', () => {
  it('returns nulls and empty lists for a bare page', () => {
    const m = metaOf('<html><body><p>Nothing here.</p></body></html>');
    expect(m).toEqual({
      htmlLang: null,
      htmlDir: null,
      canonicalUrl: null,
      ogUrl: null,
      titles: { og: null, jsonLd: null, meta: null, htmlTitle: null, h1: null, declared: null, crumbH1: null },
      siteName: null,
      siteNames: [],
      homeLinkNames: [],
      bylines: [],
      description: null,
      authors: [],
      dates: { published: [], modified: [] },
      section: null,
      tags: [],
      image: null,
      types: [],
      metaLang: null,
    });
  });

  it('falls back to rel=author / itemprop=author and microdata dates', () => {
    const m = metaOf(`<html><body dir="ltr"><article>
      <span itemprop="author" itemscope><span itemprop="name">Dana  Kerr</span></span>
      <a rel="author" href="/staff/jo">Jo Park</a>
      <time itemprop="datePublished" datetime="2021-03-04T09:00:00Z">March 4</time>
      <meta itemprop="dateModified" content="2021-03-05">
    </article></body></html>`);
    expect(m.authors).toEqual(['Dana Kerr', 'Jo Park']);
    expect(datesFrom(m, 'published', 'itemprop')).toEqual(['2021-03-04T09:00:00Z']);
    expect(datesFrom(m, 'modified', 'itemprop')).toEqual(['2021-03-05']);
    expect(m.htmlDir).toBe('ltr');
  });

  it('takes a line headed by a bold author label as a byline element, outside asides and related lists', () => {
    const m = metaOf(`<html><body><article><p>Story text here.</p>
      <ul><li><strong>Datum</strong> 28.04.2024</li><li><strong>Autorin/Autor</strong> Jana Roth</li></ul>
      <p><b>الكاتب</b> نور الخطيب</p><p><strong>Important</strong> not a label</p></article>
      <aside><li><strong>Author</strong> Other Writer</li></aside></body></html>`);
    expect(m.bylines).toEqual(['Autorin/Autor Jana Roth', 'الكاتب نور الخطيب']);
  });

  it('takes a short line headed by a plain-text author label and its colon as a byline element', () => {
    const m = metaOf(`<html><body><article><ul><li>Von:
      <a href="/a">Jana Roth</a>, <a href="/b">Lea Berg</a></li><li>كتب: <a href="/c">نور الخطيب</a></li>
      <li>By: <a href="/d">Tom Lund</a><br><a href="/e">more</a></li></ul>
      <p>By: the end of the year the ferry will run daily.</p><p>Byron Katz wrote this: a sentence.</p>
      <p>Von der Stadt aus fährt die Fähre täglich um neun Uhr morgens und am Abend zurück.</p></article>
      <aside><li>By: <a href="/f">Other Writer</a></li></aside></body></html>`);
    expect(m.bylines).toEqual(['Von: Jana Roth, Lea Berg', 'كتب: نور الخطيب']);
  });

  it('reads JSON-LD authors given as givenName/familyName, and skips a URL standing in for a name', () => {
    const ld = (author: unknown) =>
      metaOf(`<html><head><meta name="author" content="Rita Moss"><script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', author })}</script></head><body></body></html>`).authors;
    expect(ld([{ '@type': 'Person', givenName: 'Anna Maria', familyName: 'Berg' }, { '@type': 'Person', givenName: 'ليلى', familyName: 'حداد' }])).toEqual(['Anna Maria Berg', 'ليلى حداد']);
    expect(ld({ '@type': 'Person', url: 'https://example.com/author/rita-moss' })).toEqual(['Rita Moss']);
    expect(ld({ '@type': 'Person', name: { '@value': 'Omar Said' } })).toEqual(['Omar Said']);
  });

  it('uses meta author, twitter fields and the JSON-LD publisher as site name', () => {
    const m = metaOf(`<html><head>
      <meta name="author" content="Rita Moss">
      <meta name="twitter:title" content="Twitter headline">
      <meta name="twitter:image" content="https://cdn.example/t.jpg">
      <meta name="keywords" content="ignored">
      <script type="application/ld+json">{"@type":"Article","publisher":{"name":"Moss Media"},"keywords":"one, two ,three"}</script>
    </head><body><h1>Page heading</h1></body></html>`);
    expect(m.authors).toEqual(['Rita Moss']);
    expect(m.titles.og).toBe('Twitter headline');
    expect(m.titles.declared).toBe('Twitter headline');
    expect(m.titles.h1).toBe('Page heading');
    expect(m.image).toBe('https://cdn.example/t.jpg');
    expect(m.siteName).toBe('Moss Media');
    expect(m.tags).toEqual(['one', 'two', 'three']);
    expect(m.types).toEqual(['article']);
  });

  it('reads a Content-Language http-equiv and the first non-empty meta value', () => {
    const m = metaOf(`<html><head>
      <meta http-equiv="Content-Language" content="fr-CA">
      <meta property="og:title" content="">
      <meta property="og:title" content="Second og title">
    </head><body></body></html>`);
    expect(m.metaLang).toBe('fr-CA');
    expect(m.titles.og).toBe('Second og title');
  });
});

/**
 * The elements are found by one walk that stands in for cheerio selectors;
 * these pin the selector semantics it has to keep.
 */
describe('extractMetadata selector semantics', () => {
  it('prefers article h1, then main h1, then [itemprop=headline], then the first h1', () => {
    expect(metaOf('<h1>first</h1><main><h1>main</h1></main><div itemprop="headline">hl</div>').titles.h1).toBe('main');
    expect(metaOf('<h1>first</h1><div itemprop="headline">hl</div><main><section><h1>main</h1></section></main><article><h1>art</h1></article>').titles.h1).toBe('art');
    expect(metaOf('<h1>first</h1><div itemprop="Headline">case</div><div itemprop="headline x">token</div>').titles.h1).toBe('first');
  });

  it('reads the first <html>, <body> and <title> in document order', () => {
    const m = metaOf('<svg><title>svg title</title></svg><title>page title</title><html lang="de" dir="ltr"><html lang="fr"></html></html><body dir="rtl"></body>');
    expect(m.titles.htmlTitle).toBe('svg title');
    expect(m.htmlLang).toBe('de');
    expect(m.htmlDir).toBe('ltr');
    expect(metaOf('<html xml:lang="fr"><body dir="rtl"></body></html>')).toMatchObject({ htmlLang: 'fr', htmlDir: 'rtl' });
  });

  it('matches rel tokens case-insensitively and itemprop tokens exactly', () => {
    const m = metaOf(`<link rel="stylesheet" href="/s.css"><link rel="alternate CANONICAL" href=" /c "><link rel="canonical" href="/d">
      <span rel="Author">Ann Lee</span><span itemprop="Author">Not Me</span><span itemprop="creator author">Bo Park</span>
      <time itemprop="DatePublished" datetime="2001-01-01">x</time><time itemprop="x datePublished" datetime="2002-02-02">y</time>`);
    expect(m.canonicalUrl).toBe('/c');
    expect(m.authors).toEqual(['Ann Lee', 'Bo Park']);
    expect(datesFrom(m, 'published', 'itemprop')).toEqual(['2002-02-02']);
  });

  it('reads at most five author elements, joining the text of their [itemprop=name] parts', () => {
    const m = metaOf(`<span itemprop="author"><b itemprop="name">Dana</b> (editor) <i itemprop="name">Kerr</i></span>
      <a rel="author"><span itemprop="name"> </span>Blank Name</a>
      <a rel="author">${'x'.repeat(90)}</a><a rel="author">Three</a><a rel="author">Four</a><a rel="author">Six</a>`);
    expect(m.authors).toEqual(['DanaKerr', 'Three', 'Four']);
  });

  it('takes a microdata date from content, then datetime, then text', () => {
    expect(datesFrom(metaOf('<div itemprop="datePublished" content="2020-01-01" datetime="x">t</div>'), 'published', 'itemprop')).toEqual(['2020-01-01']);
    expect(datesFrom(metaOf('<div itemprop="dateModified"> 3  May </div>'), 'modified', 'itemprop')).toEqual(['3 May']);
    expect(datesFrom(metaOf('<time itemprop="dateModified" datetime="">3 May</time>'), 'modified', 'itemprop')).toEqual([]);
  });
});

/** Readability's metadata conventions: which declared value wins. */
describe('extractMetadata declared title', () => {
  const head = (tags: string) => metaOf(`<html><head><title>Page title | Site</title>${tags}</head><body><h1>Heading</h1></body></html>`);
  it.each([
    ['Dublin Core before Open Graph', '<meta property="og:title" content="OG"><meta property="dc:title" content="DC">', 'DC'],
    ['DC.title as a name', '<meta name="DC.title" content="DC name"><meta name="twitter:title" content="TW">', 'DC name'],
    ['Open Graph before meta title and Twitter', '<meta name="title" content="T"><meta name="twitter:title" content="TW"><meta property="og:title" content="OG">', 'OG'],
    ['meta title before Twitter', '<meta name="twitter:title" content="TW"><meta name="title" content="T">', 'T'],
    ['Parse.ly last', '<meta name="parsely-title" content="PL">', 'PL'],
    ['an RDFa property list counts for each of its terms', '<meta property="x:title dc:title" content="Listed"><meta property="og:title" content="OG">', 'Listed'],
    ['the JSON-LD article headline first', '<meta property="dc:title" content="DC"><script type="application/ld+json">{"@type":"NewsArticle","headline":"LD"}</script>', 'LD'],
    ['not a JSON-LD WebPage name', '<meta property="og:title" content="OG"><script type="application/ld+json">{"@type":"WebPage","name":"Page title | Site"}</script>', 'OG'],
    ['none declared', '', null],
  ])('%s', (_name, tags, expected) => {
    expect(head(tags).titles.declared).toBe(expected);
  });

  it('takes the JSON-LD headline over a name that is the publisher, else the one matching <title>', () => {
    const ld = (o: object) => `<script type="application/ld+json">${JSON.stringify({ '@type': 'Article', ...o })}</script>`;
    expect(head(ld({ name: 'Site', headline: 'Storm hits coast', publisher: { name: 'Site' } })).titles.declared).toBe('Storm hits coast');
    const wiki = (title: string) => metaOf(`<title>${title}</title>${ld({ name: 'Lake Ode', headline: 'lake in the north of the county' })}`);
    expect(wiki('Lake Ode - Encyclopedia').titles.declared).toBe('Lake Ode');
    const news = metaOf(`<title>Storm hits the coast at dawn - Daily</title>${ld({ name: 'Daily front page', headline: 'Storm hits the coast at dawn' })}`);
    expect(news.titles.declared).toBe('Storm hits the coast at dawn');
  });
});

describe('extractMetadata authors, site names, bylines, home link', () => {
  it.each([
    ['dc:creator first, sources not merged', '<meta name="author" content="Meta Name"><meta property="dc:creator" content="DC Name">', ['DC Name']],
    ['all values of the winning source', '<meta name="author" content="Ann Lee"><meta name="author" content="Bo Park">', ['Ann Lee', 'Bo Park']],
    ['Parse.ly author', '<meta name="parsely-author" content="Cy Dunn">', ['Cy Dunn']],
    ['article:author unless a profile URL', '<meta property="article:author" content="https://social.example/cy">', []],
    ['JSON-LD before meta', '<meta name="author" content="Meta Name"><script type="application/ld+json">{"@type":"Article","author":{"name":"LD Name"}}</script>', ['LD Name']],
  ])('%s', (_name, tags, expected) => {
    expect(metaOf(`<html><head>${tags}</head><body></body></html>`).authors).toEqual(expected);
  });

  it('keeps declared site names, not an application-name that is the title, nor a Twitter handle', () => {
    const m = metaOf(`<html><head><title>Storm hits coast</title>
      <meta name="application-name" content="Storm hits coast"><meta name="twitter:site" content="@daily">
      <meta property="og:site_name" content="The Daily"></head><body></body></html>`);
    expect(m.siteName).toBe('The Daily');
    expect(m.siteNames).toEqual(['The Daily']);
    expect(metaOf('<meta name="twitter:site" content="@daily">').siteName).toBeNull();
  });

  it('reads byline elements by class/id, not in comments, asides or related lists, under 100 characters', () => {
    const m = metaOf(`<body>
      <div class="related"><span class="byline">By Other Writer</span></div>
      <aside><span class="author">Aside Writer</span></aside>
      <article><p class="article-byline">By  Jane Roe | May 2, 2024</p><p>Text.</p>
      <div id="author-box">${'Long biography. '.repeat(10)}</div></article>
      <section id="comments"><span class="comment-author">Commenter</span></section></body>`);
    expect(m.bylines).toEqual(['By Jane Roe | May 2, 2024']);
    expect(m.authors).toEqual([]);
  });

  it('reads the home link text or logo alt, on this host only', () => {
    const m = metaOf(`<head><link rel="canonical" href="https://gazette.example/a/1"></head><body>
      <a href="/"><img src="/logo.gif" alt="The Gazette"></a><a href="https://gazette.example/">Home</a>
      <a href="https://other.example/">Other site</a><a href="/news/">News</a></body>`);
    expect(m.homeLinkNames).toEqual(['The Gazette', 'Home']);
  });
});

describe('extractMetadata date candidates', () => {
  it('lists meta keys in priority order and keeps non-ISO values as found', () => {
    const m = metaOf(`<html><head>
      <meta name="date" content="2020-10-01">
      <meta name="DC.date.issued" content="2020-10-02">
      <meta name="parsely-pub-date" content="2020-10-03T08:00:00Z">
      <meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">
      <meta name="citation_publication_date" content="2020/10/04">
      <meta property="og:updated_time" content="2020-10-09T10:00:00+03:00">
      <meta name="dcterms.modified" content="2020-10-08">
    </head><body></body></html>`);
    expect(datesFrom(m, 'published', 'meta')).toEqual(['الأربعاء، 07 أكتوبر 2020 - 12:09 م', '2020-10-03T08:00:00Z', '2020/10/04', '2020-10-02', '2020-10-01']);
    expect(datesFrom(m, 'modified', 'meta')).toEqual(['2020-10-09T10:00:00+03:00', '2020-10-08']);
  });

  it('reads JSON-LD dates from the article object only', () => {
    const m = metaOf(`<script type="application/ld+json">{"@graph":[
      {"@type":"WebSite","name":"Example","datePublished":"2001-01-01"},
      {"@type":"NewsArticle","headline":"h","datePublished":"2021-06-01T10:00:00+02:00","dateModified":"2021-06-02"}]}</script>`);
    expect(datesFrom(m, 'published', 'json-ld')).toEqual(['2021-06-01T10:00:00+02:00']);
    expect(datesFrom(m, 'modified', 'json-ld')).toEqual(['2021-06-02']);
  });

  it("does not prefer a related list's <time> over the article's own", () => {
    const m = metaOf(`<html><body>
      <div class="related-posts"><ul><li><a href="/a">Older story</a> <time datetime="2019-01-01">1 Jan</time></li></ul></div>
      <aside><time datetime="2019-02-02">2 Feb</time></aside>
      <section class="cards"><article><h3>Teaser</h3><time datetime="2019-03-03">3 Mar</time></article></section>
      <article><h1>Harbour reopens</h1><p class="byline">By Sam Reed</p><time datetime="2021-05-04T09:30:00+01:00">4 May 2021, 9:30</time><p>Text.</p></article>
    </body></html>`);
    expect(m.dates?.published.filter((c) => c.source === 'time' || c.source === 'loose-time')).toEqual([
      { value: '2021-05-04T09:30:00+01:00', source: 'time' },
      { value: '4 May 2021, 9:30', source: 'time' },
      { value: '2019-03-03', source: 'loose-time' },
      { value: '3 Mar', source: 'loose-time' },
    ]);
  });

  it('gives a <time> the role of the label beside it, and skips a labelled deadline', () => {
    const m = metaOf(`<html><body><article><h1>Bridge works</h1>
      <p class="meta">Published <time datetime="2024-08-03">3 Aug</time> · Updated <time datetime="2024-08-04T09:15:00Z">4 Aug</time></p>
      <p><span>Deadline:</span> <time datetime="2024-09-30">30 Sep</time></p>
      <p>Text.</p></article></body></html>`);
    expect(datesFrom(m, 'published', 'time')).toEqual(['2024-08-03', '3 Aug']);
    expect(datesFrom(m, 'modified', 'time')).toEqual(['2024-08-04T09:15:00Z', '4 Aug']);
  });

  it('reads a label in a sibling element with the dateline, and a line whose label element names a date', () => {
    const m = metaOf(`<html><body><main><h1>ارتفاع الأسعار</h1>
      <div class="story-meta"><span class="label">آخر تحديث:</span> <span class="date">4 أغسطس 2024</span></div>
      <ul class="facts"><li><strong>Datum</strong> 03.08.2024</li><li><strong>Autor</strong> X</li></ul>
      <p>نص الخبر.</p></main></body></html>`);
    expect(datesFrom(m, 'modified', 'text')).toEqual(['آخر تحديث: 4 أغسطس 2024', 'Datum 03.08.2024']);
  });

  it('skips itemprop dates of other stories but keeps an article footer', () => {
    const m = metaOf(`<html><body>
      <div class="more-news"><div itemscope><span itemprop="datePublished" content="2018-01-01"></span></div></div>
      <div class="news-single"><div class="header"><h1>Market day</h1></div>
        <div class="footer"><time itemprop="datePublished" datetime="2022-01-21">21.01.2022</time></div></div>
    </body></html>`);
    expect(datesFrom(m, 'published', 'itemprop')).toEqual(['2022-01-21']);
  });

  it("reads dateline text near the headline, not the page header's date of today", () => {
    const m = metaOf(`<html><body>
      <header class="site"><div class="top-date">الأحد 14 يناير 2024</div></header>
      <div class="page"><div class="story"><div class="post-meta">القاهرة - 3 مارس 2021</div><h1>عنوان الخبر</h1>
      <span class="entry-date">الأربعاء، 03 مارس 2021 - 12:09 م</span><p>نص.</p></div></div>
    </body></html>`);
    expect(datesFrom(m, 'published', 'text')).toEqual(['القاهرة - 3 مارس 2021', 'الأربعاء، 03 مارس 2021 - 12:09 م']);
    expect(datesFrom(m, 'modified', 'text')).toEqual(['القاهرة - 3 مارس 2021', 'الأربعاء، 03 مارس 2021 - 12:09 م']);
  });

  it('files <time class=updated> and itemprop=dateModified times as modification dates; pubdate times rank with the article', () => {
    const m = metaOf(`<html><body><div class="list"><time pubdate datetime="2020-02-02">x</time></div>
      <article><h1>h</h1><time class="entry-date updated" datetime="2020-03-03">y</time><time itemprop="dateModified" datetime="2020-03-04">z</time></article></body></html>`);
    expect(datesFrom(m, 'published', 'time')).toEqual(['2020-02-02', 'x']);
    expect(datesFrom(m, 'modified', 'time')).toEqual(['2020-03-03', 'y', '2020-03-04', 'z']);
  });
});
