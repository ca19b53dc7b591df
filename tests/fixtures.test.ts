/**
 * Table-driven extraction checks over tests/fixtures: each page goes through
 * the real pipeline (read → decode → clean → normalize → record) and is held
 * to tests/fixtures/expectations.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/schema.js';
import { type Outcome, createContext, processPage } from '../src/stages/pipeline.js';
import { readPage } from '../src/shared/read-page.js';
import { decodeHtml } from '../src/shared/decode.js';
import type { ArticleRecord } from '../src/shared/types.js';
import { validateRecord } from './helpers/validate-record.js';

interface Expectation {
  with: string[];
  without: string[];
  once?: string[];
  title: string | null;
  lang: string | null;
  /** When given: the record's authors and source_agency. */
  authors?: string[];
  sourceAgency?: string | null;
  knownGaps?: { without?: string[]; title?: boolean; lang?: boolean };
  reject: string | null;
}

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const expectations = JSON.parse(readFileSync(join(FIXTURES, 'expectations.json'), 'utf8')) as Record<string, Expectation>;
const cases = Object.entries(expectations);

const ctx = createContext(defaultConfig());
const NOW = new Date('2024-06-01T12:00:00Z');

/** Whitespace-normalised (and NFC) form used to compare snippets with output text. */
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

const occurrences = (haystack: string, needle: string): number => {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
};

const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  for (const [file] of cases) {
    const raw = await readPage(join(FIXTURES, file), { maxBytes: ctx.config.input.maxBytes });
    outcomes.set(file, processPage(raw, ctx, NOW));
  }
});

function recordOf(file: string): ArticleRecord {
  const o = outcomes.get(file)!;
  if (!o.ok) throw new Error(`${file} was rejected: ${o.reject.code}: ${o.reject.message}`);
  return o.record;
}

describe('fixture expectations', () => {
  it('lists at least the ten documented fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(cases.filter(([, e]) => e.reject !== null))('%s', (file, exp) => {
    it(`is rejected as ${exp.reject}`, () => {
      const o = outcomes.get(file)!;
      expect(o.ok ? `article: ${o.record.title} (${o.record.text.length} chars)` : o.reject.code).toBe(exp.reject);
    });
  });

  describe.each(cases.filter(([, e]) => e.reject === null))('%s', (file, exp) => {
    it('is extracted as an article', () => {
      const o = outcomes.get(file)!;
      expect(o.ok ? 'ok' : `${o.reject.code}: ${o.reject.message}`).toBe('ok');
    });

    it('validates against the record schema', () => {
      expect(validateRecord(recordOf(file))).toEqual([]);
    });

    it.each(exp.with.map((s) => [s]))('keeps: %s', (snippet) => {
      expect(norm(recordOf(file).text)).toContain(norm(snippet));
    });

    it.each(exp.without.filter((s) => !exp.knownGaps?.without?.includes(s)).map((s) => [s]))('drops: %s', (snippet) => {
      expect(norm(recordOf(file).text)).not.toContain(norm(snippet));
    });

    it.fails.skipIf(!exp.knownGaps?.without?.length).each((exp.knownGaps?.without ?? []).map((s) => [s]))('known gap, still kept: %s', (snippet) => {
      expect(norm(recordOf(file).text)).not.toContain(norm(snippet));
    });

    it.skipIf(exp.once === undefined).each((exp.once ?? []).map((s) => [s]))('keeps exactly once: %s', (snippet) => {
      expect(occurrences(norm(recordOf(file).text), norm(snippet))).toBe(1);
    });

    (exp.knownGaps?.title ? it.fails : it).skipIf(exp.title === null)('has the clean title', () => {
      expect(recordOf(file).title).toBe(exp.title);
    });

    it.skipIf(exp.authors === undefined)('credits the right authors and source agency', () => {
      const { authors, source_agency } = recordOf(file);
      expect({ authors, source_agency }).toEqual({ authors: exp.authors, source_agency: exp.sourceAgency ?? null });
    });

    (exp.knownGaps?.lang ? it.fails : it).skipIf(exp.lang === null)('has the right primary language subtag', () => {
      expect(recordOf(file).lang?.split('-')[0]?.toLowerCase() ?? null).toBe(exp.lang);
    });
  });
});

describe('ar-windows-1256.html', () => {
  const file = 'ar-windows-1256.html';

  it('is really stored as windows-1256 bytes (not valid UTF-8)', () => {
    const bytes = readFileSync(join(FIXTURES, file));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const decoded = decodeHtml({ source: file, url: null, bytes });
    expect(decoded.encoding).toBe('windows-1256');
    expect(decoded.encodingSource).toBe('meta');
  });

  it('decodes to correct Arabic, free of mojibake', () => {
    const { text, title } = recordOf(file);
    expect(text).toContain('موجة صقيع شديدة');
    expect(text).toContain('وزارة الزراعة');
    expect(title).toContain('الصقيع');
    expect(text).not.toMatch(/\uFFFD/);
    // windows-1256 read as latin1/windows-1252 shows up as Ø/Ù/Ú runs
    expect(text).not.toMatch(/[ØÙÚÇÉÊÈ][\u0080-\u00ff]/);
    const letters = [...text].filter((c) => /\p{L}/u.test(c));
    const arabic = letters.filter((c) => /\p{Script=Arabic}/u.test(c));
    expect(arabic.length / letters.length).toBeGreaterThan(0.95);
  });
});

describe('ar-body-twice.html', () => {
  const file = 'ar-body-twice.html';

  it('keeps each paragraph once: no paragraph of the output occurs twice', () => {
    const paragraphs = recordOf(file).text.split('\n\n').map(norm).filter(Boolean);
    expect(paragraphs.length).toBeGreaterThan(3);
    const repeated = paragraphs.filter((p, i) => paragraphs.indexOf(p) !== i);
    expect(repeated).toEqual([]);
  });

  it('no long paragraph is contained in the text twice', () => {
    const text = norm(recordOf(file).text);
    const paragraphs = recordOf(file).text.split('\n\n').map(norm).filter((p) => p.length >= 40);
    expect(paragraphs.filter((p) => occurrences(text, p) !== 1)).toEqual([]);
  });
});
