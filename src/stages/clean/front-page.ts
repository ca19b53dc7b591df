/**
 * Home pages and section fronts are lists of teasers, not articles. The
 * signal used today: the page declares itself a collection or item list
 * (schema.org) and nowhere an article. Pages that declare nothing fall to the
 * minimum-length check. (A structural teaser-card signal is future work: tried,
 * it rejected real articles on the benchmark.)
 */
import type { CleanedPage } from '../../shared/types.js';

const ARTICLE_TYPE = /article|posting|report|review|recipe/;
const LIST_TYPE = /^(collectionpage|itemlist|searchresultspage)$/;

/** The page's og:type or schema.org type says it is an article, post, report, review or recipe. */
export const declaresArticle = (page: Pick<CleanedPage, 'meta'>): boolean => page.meta.types.some((t) => ARTICLE_TYPE.test(t));

export function looksLikeFrontPage(page: Pick<CleanedPage, 'meta'>): boolean {
  return !declaresArticle(page) && page.meta.types.some((t) => LIST_TYPE.test(t));
}
