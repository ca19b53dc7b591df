/**
 * The fetch stage's public surface: everything outside src/stages/fetch
 * imports from here (eslint.config.js enforces it), or from local.ts for the
 * local side alone: reading local inputs (the walk in shared/inputs.ts,
 * read-page, read-ahead) and decoding bytes to text (decode). Then the
 * HTTP fetcher and what guards it (http, host-queue, robots), and discovery
 * (feeds, sitemaps, which links to follow).
 */
export * from './local.js';
export { type Expect, type FetchConfig, type FetchOptions, type FetchResponse, type Fetcher, type FetcherHooks, createFetcher } from './http.js';
export { type HostQueue, type HostQueueOptions, type RunOptions, createHostQueue } from './host-queue.js';
export { type RobotsCache, type RobotsCacheOptions, type RobotsVerdict, ROBOTS_MAX_BYTES, createRobotsCache } from './robots.js';
export { parseFeed, parseFeedChecked } from './discover/feeds.js';
export { type ChildSitemap, type SitemapContents, type SitemapSink, type SitemapSummary, parseSitemap, readSitemapBytes } from './discover/sitemaps.js';
export { type FollowRules, compileFollowRules, isSince, resolveLinks, shouldFollow } from './discover/follow.js';
export type { DiscoveredUrl } from './discover/types.js';
