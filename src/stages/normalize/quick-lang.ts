/**
 * A page's language before it is cleaned, cheaply, for skipping pages of
 * other languages in big inputs (extract --lang over web archives): the
 * declared `<html lang>` or Content-Language, checked against the text of
 * the page's paragraphs (tags, scripts and styles stripped) by the same rule
 * the full extraction uses (lang.ts normalizeLang). Reads at most the first
 * QUICK_BYTES characters of the HTML.
 */
import { normalizeLang } from './lang.js';

const QUICK_CHARS = 60_000;
const SAMPLE_CHARS = 1_500;

const HTML_LANG = /<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)/i;
const META_LANG = /<meta\b[^>]*http-equiv\s*=\s*["']?content-language["']?[^>]*content\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)/i;

/** The text of the first paragraphs (`<p>` contents), else of the page, tags removed. */
function textSample(html: string): string {
  const body = html.replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const paragraphs: string[] = [];
  let length = 0;
  for (const m of body.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p\s*>/gi)) {
    const text = m[1]!.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, ' ').trim();
    if (text.length < 20) continue;
    paragraphs.push(text);
    if ((length += text.length) > SAMPLE_CHARS) break;
  }
  if (paragraphs.length > 0) return paragraphs.join('\n');
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').slice(0, SAMPLE_CHARS);
}

/** The page's language tag (`ar`, `en`, `fa-IR`…), or null when neither the markup nor the text tells. */
export function quickLang(html: string, contentLanguage: string | null = null): string | null {
  const head = html.length > QUICK_CHARS ? html.slice(0, QUICK_CHARS) : html;
  const declared = HTML_LANG.exec(head)?.[1] ?? null;
  const meta = META_LANG.exec(head)?.[1] ?? contentLanguage?.split(',')[0]?.trim() ?? null;
  return normalizeLang(declared, meta, textSample(head));
}
