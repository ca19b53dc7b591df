import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHTMLStrict } from 'entities';
import { defaultConfig } from '../../../src/config/schema.js';
import { countWords, foldPresentationForms, isJsSpace, normalizeText, tidyPunctuationSpaces } from '../../../src/stages/normalize/unicode.js';

const on = defaultConfig().normalize;
const off = {
  nfc: false, collapseWhitespace: false, stripInvisibles: false, foldPresentationForms: false,
  removeTatweel: false, decodeEntities: false, tidyPunctuation: false,
};

describe('normalizeText', () => {
  it.each([
    ['NFC composes', 'cafe\u0301', 'café'],
    ['lam-alef ligature', 'ﻻ بد', 'لا بد'],
    ['presentation form letters', 'ﺳﻼﻡ', 'سلام'],
    ['BOM, ZWSP and word joiner removed', '\uFEFFab\u200Bc\u2060d', 'abcd'],
    ['bidi marks removed', '\u200Fمرحبا\u200E \u202Bنص\u202C \u2067x\u2069 \u061Cy', 'مرحبا نص x y'],
    ['ZWNJ kept (Persian)', 'می\u200Cخواهم', 'می\u200Cخواهم'],
    ['ZWJ kept', 'a\u200Db', 'a\u200Db'],
    ['Persian letters kept', 'یک کتاب', 'یک کتاب'],
    ['NBSP to space', 'a\u00A0b', 'a b'],
    ['thin/narrow/ideographic spaces', 'a\u2009b\u202Fc\u3000d', 'a b c d'],
    ['collapse and trim', '  one \n\t two  ', 'one two'],
    ['single non-space whitespace becomes a space', 'a\tb\nc\u2028d\u3000e', 'a b c d e'],
    ['single spaces kept, runs collapsed', 'a b  c \t d', 'a b c d'],
    ['diacritics kept', 'كَتَبَ', 'كَتَبَ'],
    ['digits kept', 'عام ٢٠٢٤', 'عام ٢٠٢٤'],
    ['honorific ligature kept', 'النبي ﷺ', 'النبي ﷺ'],
    ['tatweel removed', 'العـــربية', 'العربية'],
    ['entities left in the text decoded', 'AT&amp;T said &quot;yes&quot; &#8211; twice', 'AT&T said "yes" – twice'],
    ['a bare ampersand is not an entity', 'Tom & Jerry &c', 'Tom & Jerry &c'],
    ['space before Arabic comma and question mark', 'قال الوزير ، إن السؤال هو : لماذا ؟', 'قال الوزير، إن السؤال هو: لماذا؟'],
    ['space before Latin comma and period', 'Rain fell , then stopped .', 'Rain fell, then stopped.'],
    ['spaces inside brackets', 'the plan ( approved in May ) was', 'the plan (approved in May) was'],
    ['« » quotes: spaces inside dropped', 'il a dit « oui » hier', 'il a dit «oui» hier'],
    ['» « quotes (German, Danish): word spaces kept', 'Er sagte: »Ja« und ging , dann »Nein«', 'Er sagte: »Ja« und ging, dann »Nein«'],
    ['French space before ! ? : ; kept', 'Vraiment ? Oui : demain !', 'Vraiment ? Oui : demain !'],
    ['decimal and ellipsis left alone', 'rates fell by .5 points ... then', 'rates fell by .5 points ... then'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input, on)).toBe(expected);
  });

  it('each step can be switched off', () => {
    expect(normalizeText(' a\u00A0\u00A0b\u200B ', off)).toBe('a\u00A0\u00A0b\u200B');
    expect(normalizeText('ﻻ', off)).toBe('ﻻ');
    expect(normalizeText('a\u200Bb  c', { ...on, stripInvisibles: false })).toBe('a\u200Bb c');
    expect(normalizeText('cafe\u0301', { ...on, nfc: false })).toBe('cafe\u0301');
    expect(normalizeText('العـربية', { ...on, removeTatweel: false })).toBe('العـربية');
    expect(normalizeText('ﻻ', { ...on, foldPresentationForms: false })).toBe('ﻻ');
    expect(normalizeText('a &amp; b', { ...on, decodeEntities: false })).toBe('a &amp; b');
    expect(normalizeText('a , b', { ...on, tidyPunctuation: false })).toBe('a , b');
  });

  it('keeps line breaks for pre/table blocks when asked', () => {
    expect(normalizeText('\n a  |  b \r\n\n\n\nc\u00A0d \n', on, true)).toBe('a | b\n\nc d');
  });
});

describe('foldPresentationForms', () => {
  it('leaves standard letters alone', () => {
    expect(foldPresentationForms('سلام')).toBe('سلام');
  });
});

describe('isJsSpace / countWords', () => {
  it('isJsSpace is exactly the regex \\s, over the whole BMP', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isJsSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it('countWords counts what split(/\\s+/) keeps', () => {
    for (const s of ['', '   ', 'one', ' one  two ', 'a\u00a0b\u3000c', 'x\u0085y', '\ufeffword\n\tnext', 'كتب\u2003أحمد']) {
      expect(countWords(s)).toBe(s.split(/\s+/).filter(Boolean).length);
    }
    expect(countWords('Foto:  Jane  Roe')).toBe(3);
  });

  it('countWords stops one past atMost', () => {
    expect(countWords('one two three four', 2)).toBe(3);
    expect(countWords('one two', 2)).toBe(2);
    expect(countWords(' one  two ', 5)).toBe(2);
  });
});

/** normalizeText as it was before its steps were skipped by textFlags: every step, every time. */
function referenceNormalize(s: string, opts: typeof on): string {
  let t = s;
  if (opts.decodeEntities && /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i.test(t)) t = decodeHTMLStrict(t);
  if (opts.stripInvisibles) t = t.replace(/[\u200B\uFEFF\u2060\u00AD\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g, '');
  if (opts.foldPresentationForms) t = foldPresentationForms(t);
  if (opts.nfc) t = t.normalize('NFC');
  if (opts.removeTatweel) t = t.replace(/\u0640/g, '');
  if (opts.collapseWhitespace) t = t.replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ').replace(/\s+/g, ' ');
  if (opts.tidyPunctuation) t = tidyPunctuationSpaces(t);
  return t.trim();
}

describe('normalizeText skips only steps that would change nothing', () => {
  it('matches every step run every time, on arbitrary text', () => {
    const alphabet = [
      ...'aZ 09.,!?:;()[]{}«»،؛؟-&\t\n\r\u000b\u00a0\u00ad\u1680\u2000\u2002\u200a\u200b\u200c\u200e\u2028\u202a\u202f\u205f\u2060\u2066\u3000\ufeff\u061c',
      ...'ـأإآابةىيكی\u064e\u0651\u0653\u0654\u0301\u0300e\u00e9\u037e\u0387\u212b\ufb50\ufdf2\ufe70\ufefb\ufdfa',
      '&amp;', '&quot;', '&#1576;', '👍', '\uD800',
    ];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(fc.property(text, (s) => normalizeText(s, on) === referenceNormalize(s, on)), { numRuns: 20000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => normalizeText(s, on) === referenceNormalize(s, on)), { numRuns: 3000 });
  });
});
