import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml, prescanMeta, resolveLabel } from '../../src/shared/decode.js';
import type { RawPage } from '../../src/shared/types.js';

const ARABIC = 'مرحبا بالعالم — أخبار اليوم';
const page = (bytes: Buffer, contentType?: string | null): RawPage => ({ source: 'x.html', url: null, bytes, contentType });
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const doc = (head: string, body = ARABIC, enc = 'windows-1256'): Buffer =>
  Buffer.concat([ascii(`<!doctype html><html><head>${head}</head><body><p>`), iconv.encode(body, enc), ascii('</p></body></html>')]);
const bodyOf = (html: string): string => /<p>([\s\S]*)<\/p>/.exec(html)?.[1] ?? '';

describe('decodeHtml: BOM', () => {
  it.each([
    ['utf-8', Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<p>${ARABIC}</p>`, 'utf8')],
    ['utf-16le', Buffer.from([0xff, 0xfe]), iconv.encode(`<p>${ARABIC}</p>`, 'utf-16le')],
    ['utf-16be', Buffer.from([0xfe, 0xff]), iconv.encode(`<p>${ARABIC}</p>`, 'utf-16be')],
  ])('%s BOM wins over header and meta, and is stripped', (enc, bom, rest) => {
    const bytes = Buffer.concat([bom, rest]);
    const out = decodeHtml(page(bytes, 'text/html; charset=windows-1256'));
    expect(out).toMatchObject({ encoding: enc, encodingSource: 'bom', html: `<p>${ARABIC}</p>` });
    expect(out.html.charCodeAt(0)).not.toBe(0xfeff);
  });
});

describe('decodeHtml: <meta> prescan', () => {
  it.each([
    ['<meta charset="windows-1256">', 'windows-1256'],
    ["<meta charset='WINDOWS-1256'>", 'windows-1256'],
    ['<meta charset=cp1256>', 'windows-1256'],
    ['<META CHARSET = "x-cp1256" />', 'windows-1256'],
    ['<meta\ncharset=windows-1256 />', 'windows-1256'],
    ['<meta\tcharset=cp1256>', 'windows-1256'],
    ['<meta name="viewport" content="width=device-width" charset="windows-1256">', 'windows-1256'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', 'windows-1256'],
    ['<meta content="text/html; charset=windows-1256" http-equiv="content-type">', 'windows-1256'],
    ['<meta HTTP-EQUIV=content-type CONTENT="text/html;charset=\'cp1256\'">', 'windows-1256'],
    ['<meta charset="iso-8859-6">', 'iso-8859-6'],
    ['<meta charset="ISO_8859-6:1987">', 'iso-8859-6'],
    ['<meta charset="arabic">', 'iso-8859-6'],
    ['<meta charset="latin1">', 'windows-1252'],
    ['<meta charset="ISO-8859-1">', 'windows-1252'],
    ['<meta charset=" utf8 ">', 'utf-8'],
  ])('%s → %s', (head, want) => {
    const out = decodeHtml(page(doc(head, ARABIC, want === 'iso-8859-6' ? 'iso-8859-6' : want)));
    expect(out.encoding).toBe(want);
    expect(out.encodingSource).toBe('meta');
  });

  it('decodes windows-1256 Arabic bytes back to the original string', () => {
    const out = decodeHtml(page(doc('<meta charset="windows-1256">')));
    expect(bodyOf(out.html)).toBe(ARABIC);
  });

  it('decodes ISO-8859-6 Arabic bytes back to the original string', () => {
    const text = 'مرحبا بالعالم، أخبار اليوم؟'; // ISO-8859-6 has no em dash
    const out = decodeHtml(page(doc('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">', text, 'iso-8859-6')));
    expect(out.encoding).toBe('iso-8859-6');
    expect(bodyOf(out.html)).toBe(text);
  });

  it.each([
    ['http-equiv content without the pragma', '<meta content="text/html; charset=windows-1256">'],
    ['charset inside a comment', '<!-- <meta charset="windows-1256"> -->'],
    ['charset inside another attribute value', '<a title=\'<meta charset="windows-1256">\'>'],
    ['unknown label', '<meta charset="x-klingon">'],
    ['x-mac-arabic (not supported by iconv-lite)', '<meta charset="x-mac-arabic">'],
    ['meta after the first 4096 bytes', `<!-- ${'x'.repeat(5000)} --><meta charset="windows-1256">`],
  ])('ignores %s → utf-8 default', (_name, head) => {
    const out = decodeHtml(page(doc(head, 'hello', 'utf8')));
    expect(out).toMatchObject({ encoding: 'utf-8', encodingSource: 'default' });
    expect(bodyOf(out.html)).toBe('hello');
  });

  it('takes the first usable meta', () => {
    expect(prescanMeta(ascii('<meta charset="bogus"><meta charset="cp1256"><meta charset="utf-8">'))).toBe('windows-1256');
  });

  it('treats a utf-16 meta declaration without BOM as utf-8', () => {
    const out = decodeHtml(page(Buffer.from(`<meta charset="utf-16"><p>${ARABIC}</p>`, 'utf8')));
    expect(out).toMatchObject({ encoding: 'utf-8', encodingSource: 'meta' });
    expect(bodyOf(out.html)).toBe(ARABIC);
  });
});

describe('decodeHtml: a saved page re-encoded to UTF-8 with its old <meta charset>', () => {
  it('valid UTF-8 wins over a legacy <meta> charset', () => {
    const out = decodeHtml(page(doc('<meta charset="gb2312">', '深度学习的新电脑 — 人工智能', 'utf-8')));
    expect(out.encoding).toBe('utf-8');
    expect(out.encodingSource).toBe('utf8-valid');
    expect(bodyOf(out.html)).toBe('深度学习的新电脑 — 人工智能');
  });

  it('a real windows-1256 page is not valid UTF-8 and keeps its <meta> charset', () => {
    const out = decodeHtml(page(doc('<meta charset="windows-1256">')));
    expect(out.encodingSource).toBe('meta');
    expect(bodyOf(out.html)).toBe(ARABIC);
  });

  it('an HTTP header charset is still obeyed', () => {
    const out = decodeHtml(page(doc('', 'café', 'utf-8'), 'text/html; charset=windows-1252'));
    expect(out.encodingSource).toBe('header');
  });
});

describe('decodeHtml: Content-Type header', () => {
  it('header beats meta', () => {
    const bytes = doc('<meta charset="utf-8">');
    const out = decodeHtml(page(bytes, 'text/html; charset="Windows-1256"'));
    expect(out).toMatchObject({ encoding: 'windows-1256', encodingSource: 'header' });
    expect(bodyOf(out.html)).toBe(ARABIC);
  });

  it.each([
    ['text/html', 'meta'],
    ['text/html; charset=nonsense', 'meta'],
    [null, 'meta'],
  ] as const)('header %s without usable charset falls through to %s', (ct, src) => {
    const out = decodeHtml(page(doc('<meta charset="windows-1256">'), ct));
    expect(out).toMatchObject({ encoding: 'windows-1256', encodingSource: src });
  });
});

describe('decodeHtml: default and robustness', () => {
  it('defaults to utf-8', () => {
    const out = decodeHtml(page(Buffer.from(`<p>${ARABIC}</p>`, 'utf8')));
    expect(out).toEqual({ source: 'x.html', url: null, html: `<p>${ARABIC}</p>`, encoding: 'utf-8', encodingSource: 'default' });
  });

  it('turns invalid bytes in a declared utf-8 page into U+FFFD', () => {
    expect(decodeHtml(page(Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xc3, 0x28]), 'text/html; charset=utf-8')).html).toBe('<p>\ufffd\ufffd(');
  });

  it('never throws on arbitrary bytes', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let n = 0; n < 300; n++) {
      const bytes = Buffer.from(Array.from({ length: n * 7 }, rnd));
      const head = ascii(['<meta charset=', '<meta http-equiv=content-type content="charset=', '<!--', '<', ''][n % 5]!);
      for (const ct of [null, 'text/html; charset=utf-16', 'text/html; charset="']) {
        expect(() => decodeHtml(page(Buffer.concat([head, bytes]), ct))).not.toThrow();
      }
    }
    expect(() => decodeHtml(page(Buffer.alloc(0)))).not.toThrow();
    expect(() => decodeHtml(page(Buffer.from([0xff])))).not.toThrow();
  });
});

describe('decodeHtml: undeclared legacy charsets are detected', () => {
  const STORY =
    'قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل بعد أن تتشاور الوفود مع حكوماتها، مشيراً إلى أن الخلافات لا تزال كبيرة حول ملف الحدود والمياه.';
  it.each(['windows-1256', 'iso-8859-6'])('%s Arabic with no header, BOM or <meta>', (enc) => {
    const out = decodeHtml(page(doc('<title>x</title>', STORY, enc)));
    expect(out.encodingSource).toBe('detected');
    expect(out.encoding).toBe(enc);
    expect(bodyOf(out.html)).toBe(STORY);
  });

  it('Arabic after 60 KB of inline CSS, scripts and an ASCII menu (the markup must not outvote the text)', () => {
    const chrome = `<style>${'.menu-item{margin:0 4px;padding:2px}'.repeat(1500)}</style>` + '<ul>' + '<li><a href="/s">Section</a></li>'.repeat(400) + '</ul>';
    const out = decodeHtml(page(doc(chrome, STORY, 'windows-1256')));
    expect(out).toMatchObject({ encoding: 'windows-1256', encodingSource: 'detected' });
    expect(bodyOf(out.html)).toBe(STORY);
  });

  it('Cyrillic windows-1251 with no declaration', () => {
    const text = 'Министр иностранных дел заявил, что переговоры возобновятся на следующей неделе после консультаций.';
    const out = decodeHtml(page(doc('', text, 'windows-1251')));
    expect(out.encoding).toBe('windows-1251');
    expect(bodyOf(out.html)).toBe(text);
  });

  it('Latin-1 French with no declaration', () => {
    const text = 'Le ministre a déclaré que les négociations reprendraient la semaine prochaine, après consultation des délégations.';
    const out = decodeHtml(page(doc('', text, 'windows-1252')));
    expect(out.encodingSource).toBe('detected');
    expect(bodyOf(out.html)).toBe(text);
  });

  it('valid UTF-8 is never second-guessed', () => {
    const out = decodeHtml(page(doc('', STORY, 'utf-8')));
    expect(out).toMatchObject({ encoding: 'utf-8', encodingSource: 'default' });
    expect(bodyOf(out.html)).toBe(STORY);
  });
});

describe('decodeHtml: the XML declaration of a feed or XHTML page', () => {
  it('reads encoding="windows-1256" when nothing else declares one', () => {
    const bytes = Buffer.concat([ascii('<?xml version="1.0" encoding="windows-1256"?><rss><title>'), iconv.encode(ARABIC, 'windows-1256'), ascii('</title></rss>')]);
    const out = decodeHtml(page(bytes));
    expect(out).toMatchObject({ encoding: 'windows-1256', encodingSource: 'meta' });
    expect(out.html).toContain(ARABIC);
  });
});

describe('resolveLabel', () => {
  it.each([
    ['UTF8', 'utf-8'], ['cp1256', 'windows-1256'], ['Windows-1256', 'windows-1256'], ['iso8859-6', 'iso-8859-6'],
    ['latin1', 'windows-1252'], ['us-ascii', 'windows-1252'], ['gb2312', 'gbk'], ['Shift_JIS', 'shift_jis'],
    ['x-mac-arabic', null], ['base64', null], ['', null],
  ])('%s → %s', (label, want) => {
    expect(resolveLabel(label)).toBe(want);
  });
});

describe('decodeHtml: UTF-16 without a BOM', () => {
  it('reads a UTF-16LE document from its `<?xml` prefix', () => {
    const out = decodeHtml(page(iconv.encode(`<?xml version="1.0"?><rss><title>${ARABIC}</title></rss>`, 'utf-16le')));
    expect(out).toMatchObject({ encoding: 'utf-16le', encodingSource: 'meta' });
    expect(out.html).toContain(ARABIC);
  });
});

describe('decodeHtml: sniffing details kept from before encoding-sniffer', () => {
  it('reads an XML declaration after leading whitespace', () => {
    const bytes = Buffer.concat([ascii('\n  <?xml version="1.0" encoding="windows-1256"?><rss><title>'), iconv.encode(ARABIC, 'windows-1256'), ascii('</title></rss>')]);
    expect(decodeHtml(page(bytes))).toMatchObject({ encoding: 'windows-1256', encodingSource: 'meta' });
  });

  it('reads an x-user-defined header as windows-1252', () => {
    expect(decodeHtml(page(doc('', 'café', 'windows-1252'), 'text/html; charset=x-user-defined'))).toMatchObject({ encoding: 'windows-1252', encodingSource: 'header' });
  });
});
