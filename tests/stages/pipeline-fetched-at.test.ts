/**
 * An archived page is judged at its fetch time (RawPage.fetchedAt, a WARC
 * record's WARC-Date), not at the time it is re-extracted: a date later than
 * the fetch (past a day's slack) cannot be the page's, whenever it is read.
 * extracted_at stays the time of extraction.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { createContext, processPage } from '../../src/stages/pipeline.js';

const ctx = createContext(defaultConfig());
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ferry service resumes</title>
<meta property="article:published_time" content="2026-06-10T09:00:00Z"></head><body><article><h1>Ferry service resumes</h1>
${[1, 2, 3, 4].map((n) => `<p>The harbour ferry sailed again on Monday after ${n + 2} months of repairs to its engines and hull, part ${n} of the works, the port authority said.</p>`).join('')}</article></body></html>`;
const page = (fetchedAt?: string) => ({ source: 'https://news.example.org/ferry', url: 'https://news.example.org/ferry', bytes: Buffer.from(html), ...(fetchedAt && { fetchedAt }) });
const now = new Date('2026-12-05T00:00:00Z');

describe('processPage with a fetch time', () => {
  it('takes the date when the page was fetched after it', () => {
    const r = processPage(page('2026-06-11T00:00:00Z'), ctx, now);
    expect(r.ok && r.record.published_at).toBe('2026-06-10T09:00:00Z');
  });

  it('refuses a date later than the fetch, though earlier than the extraction', () => {
    const r = processPage(page('2026-06-01T00:00:00Z'), ctx, now);
    expect(r.ok && r.record.published_at).not.toBe('2026-06-10T09:00:00Z');
    expect(r.ok && r.record.extracted_at).toBe(now.toISOString());
    const fresh = processPage(page(), ctx, now);
    expect(fresh.ok && fresh.record.published_at).toBe('2026-06-10T09:00:00Z');
  });
});
