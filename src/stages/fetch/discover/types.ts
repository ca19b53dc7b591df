/** A URL found while discovering what to crawl: in a feed, a sitemap, a page's links, or given at start. */
export interface DiscoveredUrl {
  url: string;
  /** ISO 8601 or null: item pubDate/published/updated, sitemap news:publication_date, else lastmod */
  published: string | null;
  title: string | null;
  via: 'feed' | 'sitemap' | 'link' | 'start';
}
