/**
 * Home pages and section fronts are lists of teasers, not articles. The
 * signal used today: the page declares itself a collection or item list
 * (schema.org) and nowhere an article. Pages that declare nothing fall to the
 * minimum-length check. (A structural teaser-card signal is future work: tried,
 * it rejected real articles on the benchmark.)
 */
import type { CleanedPage } from '../../types.js';

const ARTICLE_TYPE = /article|posting|report|review|recipe/;
const LIST_TYPE = /^(collectionpage|itemlist|searchresultspage)$/;

export function looksLikeFrontPage(page: Pick<CleanedPage, 'meta'>): boolean {
  const types = page.meta.types;
  if (types.some((t) => ARTICLE_TYPE.test(t))) return false;
  return types.some((t) => LIST_TYPE.test(t));
}
