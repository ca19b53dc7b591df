/**
 * Date, language and tag fixtures (tests/fixtures/dates): each invented page
 * goes through the real pipeline and its record's published_at, modified_at,
 * date_source, lang and tags are held to tests/fixtures/dates/expectations.json.
 * The traps are named in each page's comment and in tests/fixtures/README.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/schema.js';
import { createContext, processPage } from '../src/stages/pipeline.js';
import { readPage } from '../src/shared/read-page.js';
import { validateRecord } from './helpers/validate-record.js';

interface Expectation {
  published_at: string | null;
  modified_at: string | null;
  date_source: string | null;
  lang: string | null;
  tags: string[];
  /** When given: the record's authors (the Persian page's reporter label). */
  authors?: string[];
}

const DIR = fileURLToPath(new URL('./fixtures/dates/', import.meta.url));
const expectations = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as Record<string, Expectation>;
const ctx = createContext(defaultConfig());
const NOW = new Date('2024-09-01T00:00:00Z');
/** One form for every record: date, time, and the page's offset or Z. */
const ONE_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;

describe('date, lang and tag fixtures', () => {
  it('lists every page in the folder, an Arabic and an English one per class', () => {
    const pages = readdirSync(DIR).filter((f) => f.endsWith('.html')).sort();
    expect(Object.keys(expectations).sort()).toEqual(pages);
    for (const cls of ['update-line', 'url-evidence', 'hijri-only']) {
      expect(pages).toContain(`ar-${cls}.html`);
      expect(pages).toContain(`en-${cls}.html`);
    }
  });

  it.each(Object.entries(expectations))('%s', async (file, want) => {
    const raw = await readPage(join(DIR, file), { maxBytes: ctx.config.input.maxBytes });
    const outcome = processPage(raw, ctx, NOW);
    if (!outcome.ok) throw new Error(`${file} was rejected: ${outcome.reject.code}`);
    const r = outcome.record;
    expect(validateRecord(r)).toEqual([]);
    const { authors, ...dates } = want;
    expect({ published_at: r.published_at, modified_at: r.modified_at, date_source: r.date_source, lang: r.lang, tags: r.tags }).toEqual(dates);
    if (authors) expect(r.authors).toEqual(authors);
    for (const d of [r.published_at, r.modified_at]) if (d !== null) expect(d).toMatch(ONE_FORM);
  });
});
