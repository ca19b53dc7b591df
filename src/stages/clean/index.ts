/**
 * The clean stage: one decoded page in, the article's text blocks and raw
 * metadata out. The HTML is parsed exactly once, here.
 */
import type { Element } from 'domhandler';
import type { Config } from '../../config/schema.js';
import type { BodySource, CleanedPage, DecodedPage, TextBlock } from '../../shared/types.js';
import { parseUrl, resolveLink } from '../../shared/url.js';
import { type AnyNode, elementsInOrder, isInside, isTag, removeNodes } from './dom.js';
import { parseHtml } from './parse.js';
import { findArticleObject, ldString } from './json-ld.js';
import { extractMetadata } from './metadata.js';
import { hardPrune, softPrune } from './prune.js';
import { dropImageBoxes } from './image-boxes.js';
import { type CleanRules, siteRuleFor } from './rules.js';
import { type StatsMap, computeStats, contentChars } from './stats.js';
import { MIN_BODY_CHARS, selectBySelectors } from './select-body.js';
import { selectByDensity } from './density.js';
import { titledArticle } from './titled-article.js';
import { bodyFromScripts } from './script-body.js';
import { type RawBlock, collectBlocks } from './blocks.js';
import { keepProseBlocks } from './labels.js';
import { findLeadCandidates, leadsFor, standfirst } from './lead.js';

export { declaresArticle, looksLikeFrontPage } from './front-page.js';
export { type CleanRules, loadCleanRules } from './rules.js';

export interface CleanContext {
  rules: CleanRules;
  config: Config['clean'];
  /** Also return the page's links (absolute hrefs, page order), for a crawl to follow. */
  collectLinks?: boolean;
}

function hostnameOf(url: string | null | undefined): string | null {
  return url ? (parseUrl(url)?.hostname ?? null) : null;
}

export function clean(page: DecodedPage, ctx: CleanContext): CleanedPage {
  const elements: Element[] = [];
  const doc = parseHtml(page.html, ctx.config.maxElements, elements);
  const { meta, ld, body: firstBody } = extractMetadata(doc, ctx.rules.dates, elements);
  const ldBody = ldString(findArticleObject(ld)?.['articleBody']);

  const links = ctx.collectLinks ? collectLinks(doc, page.url) : undefined;
  const site = siteRuleFor(ctx.rules, hostnameOf(page.url ?? meta.canonicalUrl ?? meta.ogUrl));
  if (site?.remove.length) removeNodes(elementsInOrder(doc).filter((el) => site.remove.some((m) => m.test(el))));

  const scripts: Element[] = [];
  const pictures: Element[] | undefined = ctx.config.keepCaptions ? undefined : [];
  hardPrune(doc, ctx.rules, ctx.config.keepCaptions, scripts, pictures);
  // The <body> unless pruning took it (a site rule may), else the first top-level element.
  const body = (firstBody && isInside(firstBody, doc) ? firstBody : doc.children.find(isTag)) as Element | undefined;
  if (!body) return { ...result(page, meta, [], 'none', 0), links };

  // One element list for stats, selectors and lead candidates: nothing changes the tree between them.
  const order = elementsInOrder(body);
  const stats = computeStats(body, order);
  const totalChars = stats.get(body)?.text ?? 0;
  const bodySelectors = [...(site?.body ?? []), ...ctx.rules.bodySelectors];
  const match = selectBySelectors(body, [...bodySelectors, ...ctx.rules.containerSelectors], stats, order);
  const selected = match?.el ?? null;
  const leadCandidates = findLeadCandidates(body, ctx.rules, stats, meta.description, order);
  const boxes = pictures?.length ? dropImageBoxes(pictures, stats, body, { lead: standfirst(leadCandidates), description: meta.description, keep: selected }) : 0;
  const keep = new Set<Element>();
  for (let n: AnyNode | null = selected; n; n = n.parent) keep.add(n as Element);
  softPrune(body, ctx.rules, stats, keep, boxes ? undefined : order); // keeps `stats` in step with what it removes

  const dense = selectByDensity(body, ctx.rules, stats);
  const chosen = arbitrate(selected, dense, stats);
  let roots: AnyNode[] = chosen ? [chosen] : [dense];
  let source: BodySource = chosen ? (site?.body.length ? 'site-rule' : 'selector') : 'density';
  // A broad container (article, main, #content) still holds bylines, teasers and
  // widgets: let the density finder pick the body inside it.
  if (chosen && !bodySelectors.some((m) => m.selector === match!.selector)) roots = [selectByDensity(chosen, ctx.rules, stats)];
  // A further article appended below (infinite scroll) must not stand in for, or join, the one the page is about.
  const t = meta.titles;
  const titled = titledArticle(body, roots[0] as Element, [t.og, t.jsonLd, t.declared, t.meta, t.htmlTitle], stats);
  if (titled) roots = [selectByDensity(titled, ctx.rules, stats)];

  const leads = leadsFor(roots[0] as Element, leadCandidates, ctx.rules);
  const opts = { keepTables: ctx.config.keepTables };
  let blocks = keepProseBlocks([...collectBlocks(leads, opts), ...dropBeforeHeadline(collectBlocks(roots, opts))]);
  if (ldBody && ldBody.length >= MIN_BODY_CHARS && textLength(blocks) < ldBody.length * 0.5) {
    blocks = splitParagraphs(ldBody);
    source = 'json-ld';
  }
  // A client-rendered page: the article may be only in the page's state, as an HTML string in a script.
  if (textLength(blocks) < SCRIPT_BODY_BELOW_CHARS) {
    const fromScripts = bodyFromScripts(scripts, ctx.rules, { ...opts, keepCaptions: ctx.config.keepCaptions });
    if (fromScripts && textLength(fromScripts) >= MIN_BODY_CHARS && textLength(blocks) < textLength(fromScripts) * 0.5) {
      blocks = fromScripts;
      source = 'script';
    }
  }
  const extracted = textLength(blocks);
  const coverage = totalChars > 0 ? Math.min(1, extracted / totalChars) : 0;
  return { ...result(page, meta, blocks, source, coverage), bodySelector: source === 'selector' ? match!.selector : null, links };
}

/** Every <a href> / <area href>, resolved against <base href> and the page URL; fragments dropped, http(s) only. */
function collectLinks(doc: AnyNode, pageUrl: string | null): string[] {
  const anchors: Element[] = [];
  let baseEl: Element | undefined;
  for (const el of elementsInOrder(doc)) {
    if (!el.attribs['href']) continue;
    if (el.name === 'a' || el.name === 'area') anchors.push(el);
    else if (el.name === 'base') baseEl ??= el;
  }
  // A broken <base> is ignored, as browsers do.
  const base = (baseEl && parseUrl(baseEl.attribs['href']!, pageUrl)?.href) || pageUrl;
  const seen = new Set<string>();
  for (const a of anchors) {
    const url = resolveLink(a.attribs['href']!.trim(), base);
    if (url) seen.add(url);
  }
  return [...seen];
}

/**
 * Selectors name the body on most pages, but they can also hit a teaser, a
 * cookie box or one block of a split body. Trust the selector match unless the
 * density candidate lies elsewhere and holds much more prose.
 */
function arbitrate(selected: Element | null, dense: Element, stats: StatsMap): Element | null {
  if (!selected) return null;
  const selectedChars = contentChars(stats, selected);
  if (selectedChars < MIN_BODY_CHARS) return null;
  if (isInside(dense, selected)) return selected;
  return selectedChars * 2 >= contentChars(stats, dense) ? selected : null;
}

/** Below this much DOM text, the page's inline scripts are searched for the article (script-body.ts). */
const SCRIPT_BODY_BELOW_CHARS = 1500;

/** Kicker, section label or breadcrumb above the headline: short blocks before an h1 near the top. */
const MAX_ABOVE_HEADLINE_CHARS = 300;

function dropBeforeHeadline(blocks: RawBlock[]): RawBlock[] {
  let chars = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === 'heading' && b.level === 1) return i > 0 ? blocks.slice(i) : blocks;
    chars += b.text.length;
    if (chars > MAX_ABOVE_HEADLINE_CHARS) return blocks;
  }
  return blocks;
}

const textLength = (blocks: RawBlock[]) => blocks.reduce((n, b) => n + b.text.length, 0);

function splitParagraphs(text: string): RawBlock[] {
  return text
    .split(/\n\s*\n|\r?\n/)
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((t) => ({ kind: 'p' as const, text: t, linkChars: 0 }));
}

function result(page: DecodedPage, meta: CleanedPage['meta'], blocks: RawBlock[], bodySource: BodySource, coverage: number): CleanedPage {
  const plain: TextBlock[] = blocks.map(({ kind, text }) => ({ kind, text }));
  return { source: page.source, url: page.url, blocks: plain, meta, bodySource, coverage };
}
