/**
 * The fetch stage's public surface: everything outside src/stages/fetch
 * imports from here (eslint.config.js enforces it). The HTTP fetcher and what
 * guards it (http, host-queue, robots), and discovery (feeds, sitemaps, which
 * links to follow). Reading saved files and decoding bytes to text are shared
 * helpers (src/shared/inputs.ts, read-page.ts, read-ahead.ts, decode.ts): the
 * commands that only read files (extract, clean-text) never load this stage.
 */
export { type Expect, type FetchConfig, type FetchOptions, type FetchResponse, type Fetcher, type FetcherHooks, createFetcher } from './http.js';
export type { HeaderPairs, HttpExchange } from './exchange.js';
export { type HostQueue, type HostQueueOptions, type RunOptions, createHostQueue } from './host-queue.js';
export { type RobotsCache, type RobotsCacheOptions, type RobotsVerdict, ROBOTS_MAX_BYTES, createRobotsCache } from './robots.js';
export { parseFeed, parseFeedChecked } from './discover/feeds.js';
export { type ChildSitemap, type SitemapContents, type SitemapSink, type SitemapSummary, parseSitemap, readSitemapBytes } from './discover/sitemaps.js';
export { type FollowRules, compileFollowRules, isSince, resolveLinks, shouldFollow } from './discover/follow.js';
export type { DiscoveredUrl } from './discover/types.js';
