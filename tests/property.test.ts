/**
 * Robustness properties: whatever bytes come in, processPage returns an
 * outcome (never throws), records validate against the schema and rejects
 * carry a known error code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultConfig } from '../src/config/schema.js';
import { ErrorCodes } from '../src/shared/errors.js';
import { type PageOutcome, createContext, processPage } from '../src/stages/pipeline.js';
import type { RawPage } from '../src/shared/types.js';
import { validateRecord, validateReject } from './helpers/validate-record.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const pages = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.html'))
  .sort()
  .map((f) => ({ name: f, bytes: readFileSync(join(FIXTURES, f)) }));

const ctx = createContext(defaultConfig());
const NOW = new Date('2024-06-01T12:00:00Z');
const CODES = Object.keys(ErrorCodes);

/** Runs processPage and describes what is wrong with the outcome ('' when fine). */
function check(raw: RawPage): string {
  let outcome: PageOutcome;
  try {
    outcome = processPage(raw, ctx, NOW);
  } catch (err) {
    return `processPage threw: ${String(err)}`;
  }
  if (outcome === null || typeof outcome !== 'object') return `not an outcome: ${String(outcome)}`;
  if (outcome.ok === true) {
    const errors = validateRecord(outcome.record);
    return errors.length ? `invalid record: ${errors.join('; ')}` : '';
  }
  if (outcome.ok === false) {
    if (!CODES.includes(outcome.reject.code)) return `unknown reject code ${outcome.reject.code}`;
    if (outcome.reject.source !== raw.source) return `reject source ${outcome.reject.source} != ${raw.source}`;
    const errors = validateReject(outcome.reject);
    return errors.length ? `invalid reject: ${errors.join('; ')}` : '';
  }
  return `outcome.ok is ${String((outcome as { ok: unknown }).ok)}`;
}

/** Fails with the full problem description (fast-check reports it with the counterexample). */
function assertOutcome(raw: RawPage): void {
  const problem = check(raw);
  if (problem) throw new Error(`${raw.source}: ${problem}`);
}

/** A fixture by name: counterexamples show the name, not the bytes. */
const pageName = fc.constantFrom(...pages.map((p) => p.name));
const bytesOf = (name: string): Buffer => pages.find((p) => p.name === name)!.bytes;
const url = fc.oneof(fc.constant(null), fc.webUrl(), fc.string({ maxLength: 30 }));

/** Byte-level mutations as plain data, so counterexamples print readably. */
type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; del: number; bytes: number[] }
  | { op: 'duplicate'; from: number; len: number; to: number }
  | { op: 'delete'; from: number; len: number };

function mutate(b: Buffer, m: Mutation): Buffer {
  if (b.length === 0) return m.op === 'splice' ? Buffer.from(m.bytes) : b;
  switch (m.op) {
    case 'truncate':
      return b.subarray(0, m.at % (b.length + 1));
    case 'splice': {
      const i = m.at % b.length;
      return Buffer.concat([b.subarray(0, i), Buffer.from(m.bytes), b.subarray(Math.min(b.length, i + m.del))]);
    }
    case 'duplicate': {
      const start = m.from % b.length;
      const chunk = b.subarray(start, Math.min(b.length, start + m.len));
      const at = m.to % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
    }
    case 'delete': {
      const start = m.from % b.length;
      return Buffer.concat([b.subarray(0, start), b.subarray(Math.min(b.length, start + m.len))]);
    }
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('splice' as const),
    at: fc.nat(),
    del: fc.nat({ max: 64 }),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 256 }),
  }),
  fc.record({ op: fc.constant('duplicate' as const), from: fc.nat(), len: fc.nat({ max: 4096 }), to: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), from: fc.nat(), len: fc.nat({ max: 8192 }) }),
);

const TAGS = ['html', 'head', 'body', 'title', 'meta', 'script', 'style', 'article', 'main', 'div', 'p', 'span', 'a', 'br', 'table', 'tr', 'td', 'th', 'pre', 'ul', 'li', 'h1', 'h2', 'figure', 'figcaption', 'nav', 'aside', 'footer', 'form', 'blockquote', 'template', 'svg', 'noscript'];
const ATTRS = ['class="entry-content"', 'class="comments"', 'class="widget"', 'id="content"', 'hidden', 'style="display:none"', 'role="navigation"', 'itemprop="articleBody"', 'lang="ar"', 'dir="rtl"', 'type="application/ld+json"', 'property="og:type" content="article"', 'charset="windows-1256"', 'http-equiv="Content-Type" content="text/html; charset=iso-8859-1"'];
const TEXTS = [
  'The council met on Tuesday, and members agreed to extend the path along the river by two miles.',
  'وقال رئيس البلدية إن المشروع سيكتمل قبل نهاية العام، مؤكداً أن التمويل متوفر بالكامل.',
  '{"@type":"NewsArticle","headline":"H","articleBody":"Body, body, body.","datePublished":"2020-02-30"}',
  '<![CDATA[ x ]]>', '<!-- c -->', '&amp;', '&#x0;', '&#1234567;', '\u0000', '\uFEFF', '\u202E', '<', '>', '"', "'", '</', '<!doctype html>',
];
const token = fc.oneof(
  fc.tuple(fc.constantFrom(...TAGS), fc.array(fc.constantFrom(...ATTRS), { maxLength: 3 })).map(([t, a]) => `<${[t, ...a].join(' ')}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(...TEXTS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const tagSoup = fc.array(token, { maxLength: 300 }).map((ts) => ts.join(''));
const encoding = fc.constantFrom<BufferEncoding>('utf8', 'latin1', 'utf16le');

describe('processPage never throws and returns a valid outcome', () => {
  it('on mutated fixture pages', () => {
    fc.assert(
      fc.property(pageName, fc.array(mutation, { minLength: 1, maxLength: 3 }), url, (name, muts, u) => {
        assertOutcome({ source: `mutated/${name}`, url: u, bytes: muts.reduce(mutate, bytesOf(name)) });
      }),
      { numRuns: 60 },
    );
  });

  it('on random unicode strings and raw bytes', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2000 }).map((s) => Buffer.from(s, 'utf8')),
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(input, url, (bytes, u) => {
        assertOutcome({ source: 'random.html', url: u, bytes });
      }),
      { numRuns: 40 },
    );
  });

  it('on random tag soup', () => {
    fc.assert(
      fc.property(tagSoup, encoding, url, (html, enc, u) => {
        assertOutcome({ source: 'soup.html', url: u, bytes: Buffer.from(html, enc) });
      }),
      { numRuns: 50 },
    );
  });

  it('on every fixture, unmutated', () => {
    const problems = pages.map((p) => check({ source: p.name, url: null, bytes: p.bytes })).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('the checker itself catches a bad outcome', () => {
    // an empty page is a NOT_AN_ARTICLE reject, which is a valid outcome
    expect(check({ source: 'empty.html', url: null, bytes: Buffer.alloc(0) })).toBe('');
    expect(validateRecord({ schema_version: 1 })).not.toEqual([]);
    expect(validateReject({ source: 'x', code: 'NOPE', message: '' })).not.toEqual([]);
  });
});

describe('large and deep pages', () => {
  it('a 20 MB page of paragraphs and navigation lists completes with an outcome', () => {
    const parts = ['<!doctype html><html lang="en"><head><title>A very long page</title></head><body>'];
    let size = 0;
    for (let i = 0; size < 20 * 1024 * 1024; i++) {
      const nav = `<nav class="menu"><ul>${Array.from({ length: 10 }, (_, k) => `<li><a href="/s/${i}/${k}">Section ${i}-${k}</a></li>`).join('')}</ul></nav>`;
      const para = `<div class="story"><p>Paragraph ${i}: the harbour committee met again, and members discussed the budget, the ferry timetable and repairs to the old pier at some length.</p></div>`;
      parts.push(nav, para);
      size += nav.length + para.length;
    }
    parts.push('</body></html>');
    const bytes = Buffer.from(parts.join(''));
    expect(bytes.length).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    const outcome = processPage({ source: 'big.html', url: null, bytes }, ctx, NOW);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(validateRecord(outcome.record)).toEqual([]);
      expect(outcome.record.text).toContain('Paragraph 0: the harbour committee met again');
      expect(outcome.record.text).not.toContain('Section 0-0');
    }
  });

  it('a page nested 50,000 elements deep returns an outcome', () => {
    const depth = 50_000;
    const story = Array.from(
      { length: 4 },
      (_, i) => `<p>Part ${i}: the river authority opened the new footbridge on Monday, two months early, and said the old crossing will be taken down.</p>`,
    ).join('');
    const raw = { source: 'deep.html', url: null, bytes: Buffer.from(`<html><body>${'<div>'.repeat(depth)}${story}${'</div>'.repeat(depth)}</body></html>`) };
    const outcome = processPage(raw, ctx, NOW);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(validateRecord(outcome.record)).toEqual([]);
      expect(outcome.record.text).toContain('Part 3: the river authority');
      // Past the depth cap the paragraphs are still paragraphs, not one run of text.
      expect(outcome.record.text).toMatch(/taken down\.\n+Part 1:/);
    }
  });

  it('a page with more elements than clean.maxElements is a TOO_COMPLEX reject', () => {
    const config = defaultConfig();
    config.clean.maxElements = 5_000;
    const small = createContext(config);
    const html = `<html><body><p>${'Words of a story. '.repeat(40)}</p>${'<b>x'.repeat(5_000)}</body></html>`;
    const outcome = processPage({ source: 'tags.html', url: null, bytes: Buffer.from(html) }, small, NOW);
    expect(outcome.ok ? 'ok' : outcome.reject.code).toBe('TOO_COMPLEX');
  });

  it('a page of 50,000 unclosed inline tags returns an outcome', () => {
    const html = `<html><body>${'<span><b><i>'.repeat(17_000)}text</body></html>`;
    expect(check({ source: 'unclosed.html', url: null, bytes: Buffer.from(html) })).toBe('');
  });
});
