import { describe, expect, it } from 'vitest';
import { findArticleObject, ldNames, ldString, ldTypes, parseJsonLd } from '../../../src/stages/clean/json-ld.js';

const article = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Dam repairs finish early' };

describe('parseJsonLd', () => {
  it('parses a plain object', () => {
    expect(parseJsonLd([JSON.stringify(article)])).toEqual([article]);
  });

  it('flattens @graph', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'The Valley Times' },
        { '@type': 'Organization', name: 'Valley Media' },
        { '@type': ['NewsArticle'], headline: 'Graph headline', articleBody: 'Body text.' },
      ],
    };
    const out = parseJsonLd([JSON.stringify(graph)]);
    expect(out).toHaveLength(4);
    expect(out.map((o) => ldTypes(o)[0] ?? null)).toEqual([null, 'website', 'organization', 'newsarticle']);
    expect(findArticleObject(out)?.['headline']).toBe('Graph headline');
  });

  it('flattens top-level arrays and nested mainEntity', () => {
    const arr = [
      { '@type': 'BreadcrumbList', itemListElement: [] },
      { '@type': 'WebPage', mainEntity: { '@type': 'Article', headline: 'Inside mainEntity' } },
    ];
    const out = parseJsonLd([JSON.stringify(arr)]);
    expect(out.map((o) => ldTypes(o)[0])).toEqual(['breadcrumblist', 'webpage', 'article']);
    expect(findArticleObject(out)?.['headline']).toBe('Inside mainEntity');
  });

  it('collects objects from several scripts in order', () => {
    const out = parseJsonLd([JSON.stringify({ '@type': 'Organization', name: 'A' }), JSON.stringify(article)]);
    expect(out.map((o) => o['@type'])).toEqual(['Organization', 'NewsArticle']);
  });

  it('repairs raw newlines and tabs inside strings', () => {
    const raw = '{\n  "@type": "NewsArticle",\n  "headline": "Line one\nline two",\n  "description": "tab\there"\n}';
    const out = parseJsonLd([raw]);
    expect(out).toHaveLength(1);
    expect(out[0]!['headline']).toBe('Line one line two');
    expect(out[0]!['description']).toBe('tab here');
  });

  it('skips broken JSON without throwing and keeps the other scripts', () => {
    const out = parseJsonLd(['{"@type": "NewsArticle", "headline": "unterminated', '', '   ', 'not json at all', JSON.stringify(article)]);
    expect(out).toEqual([article]);
  });

  it('unwraps CDATA and HTML comment wrappers', () => {
    const json = JSON.stringify(article);
    expect(parseJsonLd([`<![CDATA[${json}]]>`])).toEqual([article]);
    expect(parseJsonLd([`\n  <![CDATA[\n${json}\n]]>  \n`])).toEqual([article]);
    expect(parseJsonLd([`<!-- ${json} -->`])).toEqual([article]);
  });

  it('ignores scalars and null', () => {
    expect(parseJsonLd(['null', '42', '"a string"', 'true'])).toEqual([]);
  });

  it('stops on absurdly deep nesting without throwing', () => {
    const deep = '['.repeat(5000) + JSON.stringify(article) + ']'.repeat(5000);
    expect(() => parseJsonLd([deep])).not.toThrow();
    expect(parseJsonLd([deep])).toEqual([]);
  });
});

describe('findArticleObject', () => {
  it('prefers *Article types over WebPage', () => {
    const objs = [
      { '@type': 'WebPage', name: 'page' },
      { '@type': 'BlogPosting', headline: 'post' },
    ];
    expect(findArticleObject(objs)?.['headline']).toBe('post');
  });

  it('falls back to a WebPage, and to null for sites and organizations only', () => {
    expect(findArticleObject([{ '@type': 'WebPage', name: 'page' }])?.['name']).toBe('page');
    expect(findArticleObject([{ '@type': 'WebSite' }, { '@type': 'Organization' }, { '@type': 'ItemList' }])).toBeNull();
    expect(findArticleObject([])).toBeNull();
  });
});

describe('ldString / ldNames / ldTypes', () => {
  it('reads strings, numbers, arrays and objects', () => {
    expect(ldString('  x  ')).toBe('x');
    expect(ldString('   ')).toBeNull();
    expect(ldString(7)).toBe('7');
    expect(ldString(['first', 'second'])).toBe('first');
    expect(ldString({ name: 'Named' })).toBe('Named');
    expect(ldString({ '@value': 'Valued' })).toBe('Valued');
    expect(ldString({ url: 'https://img.example/a.jpg' })).toBe('https://img.example/a.jpg');
    expect(ldString(null)).toBeNull();
    expect(ldString(undefined)).toBeNull();
    expect(ldString({})).toBeNull();
  });

  it('lists author names from mixed values', () => {
    expect(ldNames([{ '@type': 'Person', name: 'Lina Haddad' }, 'Omar Said', { name: '' }])).toEqual(['Lina Haddad', 'Omar Said']);
    expect(ldNames({ name: 'Solo Writer' })).toEqual(['Solo Writer']);
    expect(ldNames(null)).toEqual([]);
    expect(ldNames(undefined)).toEqual([]);
  });

  it('lower-cases @type values and ignores non-strings', () => {
    expect(ldTypes({ '@type': ['NewsArticle', 3, 'WebPage'] })).toEqual(['newsarticle', 'webpage']);
    expect(ldTypes({})).toEqual([]);
  });
});
