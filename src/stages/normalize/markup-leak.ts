/**
 * Escaped HTML shown as text ("<p class="texto">Em busca…", "<a href=…>…</a>"):
 * a template or CMS field that leaked its markup. The words are often the
 * story, so the tags are stripped, not the paragraph. Code samples live in
 * pre blocks and are not touched.
 */
const TAG = /<\/?[a-z][a-z0-9]*(?:\s+[a-z_:][-a-z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?)*\s*\/?>/gi;
const LEADING_TAG = new RegExp(`^${TAG.source}`, 'i');
const MIN_TAGS = 2;

/** True when the text starts with a tag or holds several. */
export function isMarkupLeak(text: string): boolean {
  if (!text.includes('<')) return false;
  return LEADING_TAG.test(text) || (text.match(TAG)?.length ?? 0) >= MIN_TAGS;
}

export function stripLeakedMarkup(text: string): string {
  return text.replace(TAG, ' ').replace(/\s{2,}/g, ' ').trim();
}
