/** A page that gives no date of its own takes the one the feed item or sitemap entry that listed it gave, with date_source saying so. */
import type { ArticleRecord, ListedDate } from '../../shared/types.js';
import { fullIso } from './pick-dates.js';
import { toIsoDate } from './scan-dates.js';

export function withListedDate(record: ArticleRecord, listed: ListedDate | undefined): ArticleRecord {
  if (record.published_at !== null || !listed) return record;
  const at = fullIso(toIsoDate(listed.at));
  return at === null ? record : { ...record, published_at: at, date_source: listed.from };
}
