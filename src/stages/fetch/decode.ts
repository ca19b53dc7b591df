import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { analyse } from 'chardet';
import type { DecodedPage, RawPage } from '../../shared/types.js';

/**
 * WHATWG encodings we decode, one per line: name, then labels that mean it
 * (iso8859-N / cpNNNN spellings are normalized in resolveLabel). The last line
 * lists names without extra labels. Browsers decode latin1/ascii as windows-1252;
 * x-user-defined is approximated the same way.
 */
const TABLE = `utf-8 unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf8 x-unicode20utf8
ibm866 866 cp866 csibm866
iso-8859-2 csisolatin2 iso-ir-101 l2 latin2
iso-8859-3 csisolatin3 iso-ir-109 l3 latin3
iso-8859-4 csisolatin4 iso-ir-110 l4 latin4
iso-8859-5 csisolatincyrillic cyrillic iso-ir-144
iso-8859-6 arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6-e iso-8859-6-i iso-ir-127
iso-8859-7 csisolatingreek ecma-118 elot_928 greek greek8 iso-ir-126 sun_eu_greek
iso-8859-8 csiso88598e csisolatinhebrew hebrew iso-8859-8-e iso-ir-138 visual
iso-8859-8-i csiso88598i logical
iso-8859-10 csisolatin6 iso-ir-157 l6 latin6
iso-8859-15 csisolatin9 l9
koi8-r cskoi8r koi koi8 koi8_r
koi8-u koi8-ru
macintosh csmacintosh mac x-mac-roman
x-mac-cyrillic x-mac-ukrainian
windows-874 dos-874 iso-8859-11 tis-620
windows-1252 ansi_x3.4-1968 ascii cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 l1 latin1 us-ascii x-user-defined
windows-1254 csisolatin5 iso-8859-9 iso-ir-148 l5 latin5
gbk chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 iso-ir-58 x-gbk
big5 big5-hkscs cn-big5 csbig5 x-x-big5
euc-jp cseucpkdfmtjapanese x-euc-jp
shift_jis csshiftjis ms932 ms_kanji shift-jis sjis windows-31j
euc-kr cseuckr csksc56011987 iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949
utf-16be unicodefffe
utf-16le csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16
iso-8859-13 iso-8859-14 iso-8859-16 gb18030 windows-1250 windows-1251 windows-1253 windows-1255 windows-1256 windows-1257 windows-1258`;

const LABELS = new Map<string, string>();
const lines = TABLE.split('\n');
for (const line of lines.slice(0, -1)) for (const a of line.split(' ')) LABELS.set(a, line.split(' ')[0]!);
for (const name of lines.at(-1)!.split(' ')) LABELS.set(name, name);

/** Where iconv-lite spells a WHATWG encoding differently. */
const ICONV_NAME: Record<string, string> = { 'x-mac-cyrillic': 'maccyrillic', 'iso-8859-8-i': 'iso-8859-8' };

/** Resolve a charset label to a WHATWG encoding name iconv-lite can decode, or null. */
export function resolveLabel(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^iso[-_ ]?8859[-_ ]?(\d+)(?::\d{4})?$/, 'iso-8859-$1');
  const name = LABELS.get(l.replace(/^(?:x-)?cp(125\d)$/, 'windows-$1'));
  if (!name || !iconv.encodingExists(ICONV_NAME[name] ?? name)) return null;
  return name;
}

/** charset parameter of a Content-Type value, e.g. `text/html; charset="windows-1256"`. */
function headerCharset(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** WHATWG "extract a character encoding from a meta element" on a content attribute. */
function charsetFromContent(content: string): string | null {
  const m = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"'][^\s;]*))/i.exec(content);
  return m ? (m[1] ?? m[2] ?? m[3] ?? null) : null;
}

const WS = /[\t\n\f\r ]/;

/** Read one attribute at `i` (WHATWG "get an attribute"); returns null at `>` or end. */
function getAttr(s: string, i: number): { name: string; value: string; next: number } | null {
  while (i < s.length && (WS.test(s[i]!) || s[i] === '/')) i++;
  if (i >= s.length || s[i] === '>') return null;
  let name = '';
  while (i < s.length && !WS.test(s[i]!) && !'=/>'.includes(s[i]!)) name += s[i++];
  while (i < s.length && WS.test(s[i]!)) i++;
  if (s[i] !== '=') return { name: name.toLowerCase(), value: '', next: i };
  i++;
  while (i < s.length && WS.test(s[i]!)) i++;
  const q = s[i];
  if (q === '"' || q === "'") {
    const end = s.indexOf(q, i + 1), stop = end < 0 ? s.length : end;
    return { name: name.toLowerCase(), value: s.slice(i + 1, stop), next: stop + 1 };
  }
  const start = i;
  while (i < s.length && !WS.test(s[i]!) && s[i] !== '>') i++;
  return { name: name.toLowerCase(), value: s.slice(start, i), next: i };
}

const XML_DECLARATION = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** encoding="…" of an XML declaration (feeds, sitemaps, XHTML), resolved; null when absent or unknown. */
export function xmlDeclaredCharset(bytes: Buffer): string | null {
  const m = XML_DECLARATION.exec(bytes.subarray(0, 256).toString('latin1'));
  return m ? resolveLabel(m[1]!) : null;
}

/** Byte-level prescan of the head for <meta charset> / http-equiv Content-Type (WHATWG-like). */
export function prescanMeta(bytes: Buffer, limit = 4096): string | null {
  const s = bytes.subarray(0, limit).toString('latin1'); // ASCII-compatible view of the bytes
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      i = end < 0 ? s.length : end + 3;
    } else if (/^<meta[\t\n\f\r /]/i.test(s.slice(i, i + 6))) {
      const seen = new Set<string>();
      let gotPragma = false, needPragma: boolean | null = null, charset: string | null = null;
      let j = i + 5;
      for (let a = getAttr(s, j); a; a = getAttr(s, j)) {
        j = a.next;
        if (seen.has(a.name)) continue;
        seen.add(a.name);
        if (a.name === 'http-equiv' && a.value.toLowerCase() === 'content-type') gotPragma = true;
        else if (a.name === 'content' && charset === null) {
          const c = charsetFromContent(a.value);
          if (c !== null) (charset = c), (needPragma = true);
        } else if (a.name === 'charset') (charset = a.value), (needPragma = false);
      }
      i = j;
      if (charset === null || needPragma === null || (needPragma && !gotPragma)) continue;
      const name = resolveLabel(charset);
      if (!name) continue;
      // A <meta> can't truthfully declare UTF-16 (the prescan itself read ASCII bytes).
      return name === 'utf-16le' || name === 'utf-16be' ? 'utf-8' : name;
    } else if (/^<\/?[a-z]/i.test(s.slice(i, i + 3))) {
      let j = i + 1;
      while (j < s.length && !WS.test(s[j]!) && s[j] !== '>') j++;
      for (let a = getAttr(s, j); a; a = getAttr(s, j)) j = a.next;
      i = j + 1;
    } else if (s.startsWith('<!', i) || s.startsWith('</', i) || s.startsWith('<?', i)) {
      const end = s.indexOf('>', i + 2);
      i = end < 0 ? s.length : end + 1;
    } else i++;
  }
  return null;
}

const withoutBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

function sniffBom(b: Buffer): { name: string; skip: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { name: 'utf-8', skip: 3 };
  if (b[0] === 0xfe && b[1] === 0xff) return { name: 'utf-16be', skip: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { name: 'utf-16le', skip: 2 };
  return null;
}

const hasNonAscii = (bytes: Buffer): boolean => {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
};

/** Bytes read for charset detection: whole typical pages (their text can start after 60 KB of inline CSS and scripts), bounded for huge ones. Only undeclared non-UTF-8 pages pay for it. */
const DETECT_BYTES = 1024 * 1024;

/** Mean length of runs of high bytes at or above which the text is in a non-Latin script. */
const NON_LATIN_RUN = 2.5;

/**
 * What chardet should read. In Arabic, Cyrillic or Greek single-byte text the
 * high bytes come in runs (whole words), and the ASCII of markup, scripts and
 * menus only dilutes the statistics: keep the high-byte words, spaced. In
 * Latin text the high bytes are lone accents between ASCII letters, which the
 * detector needs: keep everything.
 */
function detectionSample(bytes: Buffer): Buffer {
  let high = 0;
  let runs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    high++;
    if (i === 0 || bytes[i - 1]! < 0x80) runs++;
  }
  if (runs === 0 || high / runs < NON_LATIN_RUN) return bytes;
  const out = Buffer.alloc(high + runs);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) out[j++] = bytes[i]!;
    else if (j > 0 && out[j - 1] !== 0x20) out[j++] = 0x20;
  }
  return out.subarray(0, j);
}

/**
 * The likeliest legacy charset of undeclared non-UTF-8 bytes (Arabic sites
 * still serve windows-1256 and ISO-8859-6 with no declaration), or null.
 */
export function detectLegacyCharset(bytes: Buffer): string | null {
  for (const match of analyse(detectionSample(bytes.subarray(0, DETECT_BYTES)))) {
    if (/^utf/i.test(match.name)) continue;
    const name = resolveLabel(match.name);
    if (name) return name;
  }
  return null;
}

/**
 * Decode page bytes: BOM → Content-Type charset → <meta> prescan → UTF-8, or a
 * detected legacy charset when nothing is declared and the bytes are not
 * UTF-8. Never throws on bad bytes.
 */
export function decodeHtml(page: RawPage): DecodedPage {
  const { source, url, bytes } = page;
  const { encoding, encodingSource, bomLength } = pickEncoding(bytes, page.contentType);
  const body = bytes.subarray(bomLength);
  // A stray BOM after a header/meta choice is still not content. UTF-8 takes
  // the native decoder (several times faster than a JS one on big pages).
  const html = encoding === 'utf-8' ? withoutBom(body.toString('utf8')) : iconv.decode(body, iconvName(encoding), { stripBOM: true });
  return { source, url, html, encoding, encodingSource };
}

/** The iconv-lite name of a WHATWG encoding name from pickEncoding. */
export const iconvName = (encoding: string): string => ICONV_NAME[encoding] ?? encoding;

/** decodeHtml's charset choice, without decoding (streaming readers decode the bytes in chunks). */
export function pickEncoding(bytes: Buffer, contentType?: string | null): { encoding: string; encodingSource: DecodedPage['encodingSource']; bomLength: number } {
  const bom = sniffBom(bytes);
  const header = contentType ? headerCharset(contentType) : null; // unknown label → ignored
  const headerName = header ? resolveLabel(header) : null;
  const metaName = bom || headerName ? null : (prescanMeta(bytes) ?? xmlDeclaredCharset(bytes));
  let [encoding, encodingSource]: [string, DecodedPage['encodingSource']] = bom ? [bom.name, 'bom']
    : headerName ? [headerName, 'header'] : metaName ? [metaName, 'meta'] : ['utf-8', 'default'];
  // Saved pages are often re-encoded to UTF-8 with the old <meta charset> left in. Non-ASCII
  // text in a legacy charset is almost never valid UTF-8 by chance, so valid UTF-8 wins over <meta>.
  if (encodingSource === 'meta' && encoding !== 'utf-8' && !encoding.startsWith('utf-16') && hasNonAscii(bytes) && isUtf8(bytes)) {
    [encoding, encodingSource] = ['utf-8', 'utf8-valid'];
  }
  if (encodingSource === 'default' && hasNonAscii(bytes) && !isUtf8(bytes)) {
    const guess = detectLegacyCharset(bytes);
    if (guess) [encoding, encodingSource] = [guess, 'detected'];
  }
  return { encoding, encodingSource, bomLength: bom?.skip ?? 0 };
}
