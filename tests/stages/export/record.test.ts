import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/shared/errors.js';
import { countWords, toRecord } from '../../../src/stages/export/record.js';
import type { Article } from '../../../src/shared/types.js';
import { VERSION } from '../../../src/shared/version.js';
import { validateRecord, validateReject } from '../../helpers/validate-record.js';

const article = (over: Partial<Article> = {}): Article => ({
  source: 'pages/a.html', url: 'https://example.com/news/1?utm=x', canonicalUrl: 'https://example.com/news/1',
  siteName: 'Example News', title: 'عنوان الخبر', authors: ['Jane Doe'], sourceAgency: null,
  publishedAt: '2024-05-01T09:30:00+03:00', modifiedAt: null, dateSource: 'json-ld', lang: 'ar', dir: 'rtl',
  description: null, section: 'Politics', tags: ['a', 'b'], image: null,
  paragraphs: ['الفقرة الأولى.', 'الفقرة الثانية.'],
  foldedParagraphs: null,
  ...over,
});
const at = new Date('2024-05-02T00:00:00Z');
const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('toRecord: text_folded', () => {
  it('is absent when folding is off and joins the folded paragraphs when on', () => {
    expect(toRecord(article(), { extractedAt: at })).not.toHaveProperty('text_folded');
    const r = toRecord(article({ foldedParagraphs: ['الفقره الاولي', 'الثانيه'] }), { extractedAt: at });
    expect(r.text_folded).toBe('الفقره الاولي\n\nالثانيه');
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   \n\n  ', 0],
    ['The quick brown fox jumps.', 5],
    ["Don't stop: a well-known 3.5% rise in 2024", 9],
    ['قال الرئيس إن الاقتصاد ينمو بنسبة ٣٪', 7],
    ['مُحَمَّدٌ رَسُولُ', 2], // diacritics (marks) stay inside words
    ['الـــعــربية', 1], // tatweel is a letter (Lm)
    ['می‌خواهم بروم', 2], // ZWNJ joins a Persian word
    ['我们今天去北京。', 7],
    ['東京タワーに行きました', 11],
    ['한국어 문장', 2], // Korean separates words with spaces
    ['시의회가 농민들을 위한 새 시장을 열었습니다.', 6],
    ['서울에서 Seoul 2024년', 3],
    ['東京タワーと서울타워', 7], // Han/kana per character (ー is Common script: a run), the Hangul run one word
    ['中\u0301文', 2], // a combining mark stays with the character before it
    ['\u302A中', 2], // a Han-script mark on its own is a character too
    ['𠀀𠀁 𝐀𝐁', 3], // astral Han per character, astral letters as a run
    ["rock 'n' roll -- it's", 4],
    ['Apple发布了iPhone 15', 6],
    ['— « » ، ؛ ... !!!', 0],
  ])('%j → %i', (text, n) => {
    expect(countWords(text)).toBe(n);
  });
});

describe('toRecord', () => {
  it('maps every field', () => {
    const r = toRecord(article(), { extractedAt: at });
    expect(r).toEqual({
      schema_version: 1,
      id: sha('https://example.com/news/1').slice(0, 16),
      source: 'pages/a.html',
      url: 'https://example.com/news/1?utm=x',
      canonical_url: 'https://example.com/news/1',
      site_name: 'Example News',
      title: 'عنوان الخبر',
      authors: ['Jane Doe'],
      source_agency: null,
      published_at: '2024-05-01T09:30:00+03:00',
      modified_at: null,
      date_source: 'json-ld',
      lang: 'ar',
      dir: 'rtl',
      description: null,
      section: 'Politics',
      tags: ['a', 'b'],
      image: null,
      text: 'الفقرة الأولى.\n\nالفقرة الثانية.',
      word_count: 4,
      content_hash: `sha256:${sha('الفقرة الأولى.\n\nالفقرة الثانية.')}`,
      version: 1,
      previous_hash: null,
      duplicate_of: null,
      cluster_id: null,
      extracted_at: '2024-05-02T00:00:00.000Z',
      extractor: { name: 'newsclean', version: VERSION },
    });
  });

  it('joins paragraphs with exactly one blank line, skipping empty ones', () => {
    const r = toRecord(article({ paragraphs: ['One.', '', 'Two.', 'Three.'] }), { extractedAt: at });
    expect(r.text).toBe('One.\n\nTwo.\n\nThree.');
    expect(r.text).not.toMatch(/\n{3,}/);
  });

  it('derives id from canonical_url, then url, then source', () => {
    const id = (over: Partial<Article>): string => toRecord(article(over), { extractedAt: at }).id;
    expect(id({})).toBe(sha('https://example.com/news/1').slice(0, 16));
    expect(id({ canonicalUrl: null })).toBe(sha('https://example.com/news/1?utm=x').slice(0, 16));
    expect(id({ canonicalUrl: null, url: null })).toBe(sha('pages/a.html').slice(0, 16));
    expect(id({})).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hash depends on text only and is stable', () => {
    const a = toRecord(article(), { extractedAt: at });
    const b = toRecord(article({ title: 'other', source: 'b.html' }), { extractedAt: new Date() });
    expect(b.content_hash).toBe(a.content_hash);
    expect(toRecord(article({ paragraphs: ['x'] }), { extractedAt: at }).content_hash).not.toBe(a.content_hash);
  });

  it('reads the version from package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('docs/record.schema.json', () => {
  const good = toRecord(article(), { extractedAt: at });

  it('accepts records from toRecord', () => {
    expect(validateRecord(good)).toEqual([]);
    const empty = { url: null, canonicalUrl: null, siteName: null, title: null, authors: [], publishedAt: null };
    const sparse = toRecord(article({ ...empty, lang: null, dir: 'ltr', section: null, tags: [], paragraphs: [] }), { extractedAt: at });
    expect(validateRecord(sparse)).toEqual([]);
    expect(validateRecord(JSON.parse(JSON.stringify(good)))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['extra field', { extra: 1 }],
    ['bad dir', { dir: 'auto' }],
    ['bad hash', { content_hash: 'sha256:XYZ' }],
    ['md5 hash', { content_hash: `md5:${'0'.repeat(32)}` }],
    ['bad id', { id: 'sha256:abc' }],
    ['uppercase id', { id: 'ABCDEF0123456789' }],
    ['bad date', { published_at: '1 May 2024' }],
    ['bad extracted_at', { extracted_at: null }],
    ['bad lang', { lang: 'Arabic' }],
    ['negative word_count', { word_count: -1 }],
    ['fractional word_count', { word_count: 1.5 }],
    ['schema_version 2', { schema_version: 2 }],
    ['authors not strings', { authors: [1] }],
    ['bad extractor', { extractor: { name: 'other', version: '1' } }],
  ])('rejects %s', (_name, patch) => {
    expect(validateRecord({ ...good, ...patch })).not.toEqual([]);
  });

  it.each(Object.keys(good))('requires %s', (key) => {
    const copy: Record<string, unknown> = { ...good };
    delete copy[key];
    expect(validateRecord(copy)).not.toEqual([]);
  });

  it('accepts common BCP-47 tags', () => {
    for (const lang of ['ar', 'en', 'en-GB', 'zh-Hant-TW', 'ar-EG', 'fil']) {
      expect(validateRecord({ ...good, lang })).toEqual([]);
    }
  });
});

describe('docs/reject.schema.json', () => {
  it('accepts every error code and rejects unknown ones', () => {
    for (const code of Object.keys(ErrorCodes)) {
      expect(validateReject({ source: 'a.html', code, message: 'm' })).toEqual([]);
    }
    expect(validateReject({ source: 'https://x.example/a', url: 'https://x.example/a', code: 'HTTP_404', message: 'm', attempts: 1 })).toEqual([]);
    expect(validateReject({ source: 'a.html', code: 'HTTP_4044', message: 'm' })).not.toEqual([]);
    expect(validateReject({ source: 'a.html', code: 'NOPE', message: 'm' })).not.toEqual([]);
    expect(validateReject({ source: 'a.html', code: 'USAGE' })).not.toEqual([]);
    expect(validateReject({ source: 'a.html', code: 'USAGE', message: 'm', extra: 1 })).not.toEqual([]);
  });
});
