/** --max-articles for the run and max_articles per site: counted as articles are accepted. */
import type { SiteState } from './types.js';

export interface ArticleLimits {
  /** The run's or the site's limit is reached: no more pages are fetched or accepted for it. */
  full(site: SiteState | null): boolean;
  /** An article was accepted. */
  count(site: SiteState | null): void;
}

export function createArticleLimits(maxArticles: number | null): ArticleLimits {
  let articles = 0;
  return {
    full: (site) => (maxArticles !== null && articles >= maxArticles) || (site?.source.maxArticles != null && site.articles >= site.source.maxArticles),
    count(site) {
      articles++;
      if (site) site.articles++;
    },
  };
}
