/**
 * The fetch stage's local side, a narrower public surface beside index.ts:
 * reading saved pages from disk (the walk of shared/inputs.ts, read-page,
 * read-ahead) and decoding their bytes (decode). No network code: extract,
 * clean-text and the pipeline import this and so never load the HTTP client,
 * proxies, robots or feed parsing (about 0.1 s of every process start).
 * index.ts re-exports all of it; eslint.config.js allows this file by name.
 */
export { type InputEntry, type InputOptions, HTML_EXTENSIONS, TEXT_EXTENSIONS, checkInputPaths, hasExtension, isHtmlInput, walkInputs } from '../../shared/inputs.js';
export { readPage } from './read-page.js';
export { readAhead } from './read-ahead.js';
export { decodeHtml, pickEncoding } from './decode.js';
