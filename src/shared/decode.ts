import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { analyse } from 'chardet';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import type { DecodedPage, RawPage } from './types.js';

/** How far the <meta> prescan reads (WHATWG says 1024; pages with long heads declare later). */
const SNIFF_BYTES = 4096;

/** Where iconv-lite spells a WHATWG encoding differently (none of the names encoding-sniffer gives today). */
const ICONV_NAME: Record<string, string> = {};

/** Resolve a charset label to a WHATWG encoding name (lower case) iconv-lite can decode, or null. */
export function resolveLabel(label: string): string | null {
  const sniffer = new Sniffer({ transportLayerEncodingLabel: label });
  return sniffer.resultType === ResultType.PASSED ? decodable(sniffer.encoding) : null;
}

/** The lower-case WHATWG name when iconv-lite can decode it, else null. x-user-defined reads as windows-1252 (as the sniffer does for <meta>). */
function decodable(whatwgName: string): string | null {
  const name = whatwgName.toLowerCase() === 'x-user-defined' ? 'windows-1252' : whatwgName.toLowerCase();
  return iconv.encodingExists(ICONV_NAME[name] ?? name) ? name : null;
}

/** charset parameter of a Content-Type value, e.g. `text/html; charset="windows-1256"`. */
function headerCharset(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** How the WHATWG sniffing algorithm (encoding-sniffer) decided. */
const SOURCE: Record<ResultType, DecodedPage['encodingSource']> = {
  [ResultType.BOM]: 'bom',
  [ResultType.PASSED]: 'header',
  [ResultType.XML_PREFIX]: 'meta', // `<?xml` in UTF-16 without a BOM: the document's own declaration
  [ResultType.META_TAG]: 'meta',
  [ResultType.XML_ENCODING]: 'meta',
  [ResultType.DEFAULT]: 'default',
};

/** Bytes the sniffer is given at a time: it is stopped as soon as its answer is final. */
const SNIFF_CHUNK = 512;
const BOM_BYTES = 3;

/**
 * Write `bytes` to the sniffer in chunks until its answer can no longer
 * change: after the BOM bytes, a BOM, a Content-Type charset or a <meta>
 * charset is final (an XML declaration's can still be overridden by a later
 * <meta>), so the rest
 * of the prescan (every tag's attributes, up to SNIFF_BYTES) is not read.
 * The sniffer keeps its state across writes: the answer is the same as from
 * one write of all the bytes.
 */
function feed(sniffer: Sniffer, bytes: Buffer): void {
  // A BOM overrides even a Content-Type charset: its (at most 3) bytes are always read.
  sniffer.write(bytes.subarray(0, BOM_BYTES));
  for (let at = BOM_BYTES; at < bytes.length && sniffer.resultType > ResultType.META_TAG; at += SNIFF_CHUNK) {
    sniffer.write(bytes.subarray(at, at + SNIFF_CHUNK));
  }
}

/**
 * The WHATWG encoding sniffing algorithm (encoding-sniffer): BOM → transport
 * layer (Content-Type) → <meta> prescan or XML declaration → utf-8.
 */
function sniff(bytes: Buffer, headerLabel: string | null): { encoding: string; encodingSource: DecodedPage['encodingSource'] } {
  const sniffer = new Sniffer({ maxBytes: SNIFF_BYTES, transportLayerEncodingLabel: headerLabel ?? undefined, defaultEncoding: 'utf-8' });
  // Feeds and sitemaps often put a newline before `<?xml` (not well-formed, but
  // common); whitespace is never part of a BOM, so skipping it loses nothing.
  const start = bytes.subarray(0, SNIFF_BYTES).findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  feed(sniffer, bytes.subarray(Math.max(start, 0), SNIFF_BYTES));
  const encoding = decodable(sniffer.encoding);
  return encoding ? { encoding, encodingSource: SOURCE[sniffer.resultType] } : { encoding: 'utf-8', encodingSource: 'default' };
}

/** The charset a <meta> (or XML declaration) in the head declares, resolved; null when none does. */
export function prescanMeta(bytes: Buffer): string | null {
  const { encoding, encodingSource } = sniff(bytes, null);
  return encodingSource === 'meta' ? encoding : null;
}

const withoutBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

const BOM_LENGTH: Record<string, number> = { 'utf-8': 3, 'utf-16le': 2, 'utf-16be': 2 };

/** Native scan (node:buffer): a JavaScript loop over a 150 KB page cost as much as the <meta> prescan. */
const hasNonAscii = (bytes: Buffer): boolean => !isAscii(bytes);

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
 * Decode page bytes: BOM → Content-Type charset → <meta> prescan → UTF-8 (the
 * WHATWG sniffing algorithm, see sniff), or a detected legacy charset (chardet)
 * when nothing is declared and the bytes are not UTF-8. Never throws on bad bytes.
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
  let { encoding, encodingSource } = sniff(bytes, contentType ? headerCharset(contentType) : null);
  const bomLength = encodingSource === 'bom' ? BOM_LENGTH[encoding]! : 0;
  // Saved pages are often re-encoded to UTF-8 with the old <meta charset> left in. Non-ASCII
  // text in a legacy charset is almost never valid UTF-8 by chance, so valid UTF-8 wins over <meta>.
  if (encodingSource === 'meta' && encoding !== 'utf-8' && !encoding.startsWith('utf-16') && hasNonAscii(bytes) && isUtf8(bytes)) {
    [encoding, encodingSource] = ['utf-8', 'utf8-valid'];
  }
  if (encodingSource === 'default' && hasNonAscii(bytes) && !isUtf8(bytes)) {
    const guess = detectLegacyCharset(bytes);
    if (guess) [encoding, encodingSource] = [guess, 'detected'];
  }
  return { encoding, encodingSource, bomLength };
}
