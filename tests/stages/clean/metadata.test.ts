import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { parseJsonLd } from '../../../src/stages/clean/json-ld.js';
import { extractMetadata } from '../../../src/stages/clean/metadata.js';
import { textOf } from '../../../src/stages/clean/dom.js';
import type { RawMetadata } from '../../../src/types.js';

function metaOf(html: string): RawMetadata {
  const $ = cheerio.load(parseHtml(html));
  const ld = parseJsonLd($('script[type="application/ld+json" i]').toArray().map((el) => textOf(el)));
  return extractMetadata($, ld);
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
    });
  });

  it('prefers JSON-LD for authors and dates, drops URL authors', () => {
    expect(m.authors).toEqual(['ليلى حداد', 'سامر يوسف']);
    expect(m.authors.some((a) => a.startsWith('http'))).toBe(false);
    expect(m.publishedAt).toBe('2023-05-02T05:30:00Z');
    expect(m.modifiedAt).toBe('2023-05-02T10:00:00+03:00');
  });

  it('reads site name, description, section, image and types', () => {
    expect(m.siteName).toBe('صحيفة الساحل');
    expect(m.description).toBe('وصف قصير للخبر');
    expect(m.section).toBe('اقتصاد');
    expect(m.image).toBe('/img/cruise.jpg');
    expect(m.types).toEqual(['article', 'newsarticle']);
  });

  it('merges tags from article:tag, JSON-LD keywords and news_keywords', () => {
    expect(m.tags).toEqual(['سياحة', 'موانئ', 'مرفأ', 'سياحة بحرية', 'سفن', 'بحر']);
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
      titles: { og: null, jsonLd: null, meta: null, htmlTitle: null, h1: null },
      siteName: null,
      description: null,
      authors: [],
      publishedAt: null,
      modifiedAt: null,
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
    expect(m.publishedAt).toBe('2021-03-04T09:00:00Z');
    expect(m.modifiedAt).toBe('2021-03-05');
    expect(m.htmlDir).toBe('ltr');
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
    expect(m.publishedAt).toBe('2002-02-02');
  });

  it('reads at most five author elements, joining the text of their [itemprop=name] parts', () => {
    const m = metaOf(`<span itemprop="author"><b itemprop="name">Dana</b> (editor) <i itemprop="name">Kerr</i></span>
      <a rel="author"><span itemprop="name"> </span>Blank Name</a>
      <a rel="author">${'x'.repeat(90)}</a><a rel="author">Three</a><a rel="author">Four</a><a rel="author">Six</a>`);
    expect(m.authors).toEqual(['DanaKerr', 'Three', 'Four']);
  });

  it('takes a microdata date from content, then datetime, then text', () => {
    expect(metaOf('<div itemprop="datePublished" content="2020-01-01" datetime="x">t</div>').publishedAt).toBe('2020-01-01');
    expect(metaOf('<div itemprop="dateModified"> 3  May </div>').modifiedAt).toBe('3 May');
    expect(metaOf('<time itemprop="dateModified" datetime="">3 May</time>').modifiedAt).toBeNull();
  });
});
