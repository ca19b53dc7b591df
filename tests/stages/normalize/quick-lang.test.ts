/** The language of a page before it is cleaned (src/stages/normalize/quick-lang.ts), for extract --lang. */
import { describe, expect, it } from 'vitest';
import { quickLang } from '../../../src/stages/normalize/index.js';

const page = (lang: string | null, paragraphs: string[]): string =>
  `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><title>t</title><script>var x = "english words in a script";</script></head><body><nav>Home | World | Sport</nav>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
const ar = ['افتتحت البلدية صباح اليوم جسراً جديداً يربط ضفتي النهر بعد عامين من العمل المتواصل.', 'وقال رئيس البلدية إن الجسر سيخفف الزحام عن الطرق القديمة في وسط المدينة.'];
const en = ['The harbour ferry sailed again on Monday after three months of repairs to its engines.', 'Officials said the timetable would stay the same through the winter season.'];

describe('quickLang', () => {
  it('the declared language when the text agrees', () => {
    expect(quickLang(page('ar', ar))).toBe('ar');
    expect(quickLang(page('en-GB', en))).toMatch(/^en/);
  });

  it('the text wins over a wrong declaration (a template left at lang="en")', () => {
    expect(quickLang(page('en', ar))).toBe('ar');
  });

  it('no declaration: the paragraphs tell; script and navigation text are not read', () => {
    expect(quickLang(page(null, ar))).toBe('ar');
    expect(quickLang(page(null, en))).toBe('en');
  });
});
