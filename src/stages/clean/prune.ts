/**
 * Pruning: remove what is never article text (scripts, forms controls,
 * hidden elements, captions), then what looks like boilerplate by tag, ARIA
 * role or class/id hints, unless it holds most of the page's text.
 */
import { type AnyNode, type Element, elementsInOrder, isInside, isParent, isTag, removeNodes } from './dom.js';
import { classifyHint } from './hints.js';
import { pictureAnchor } from './image-boxes.js';
import type { CleanRules } from './rules.js';
import { type NodeStats, type StatsMap, subtractRemoved } from './stats.js';

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if ('hidden' in a || a['aria-hidden'] === 'true') return true;
  const style = a['style'];
  return !!style && HIDDEN_STYLE.test(style);
}

/**
 * Remove non-text nodes, hidden elements and (optionally) captions; removed
 * <script> elements go to `scripts` when given, and where pictures sit (for
 * image-boxes.ts) to `pictures`.
 */
export function hardPrune(root: AnyNode, rules: CleanRules, keepCaptions: boolean, scripts?: Element[], pictures?: Element[]): void {
  const gone: AnyNode[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isTag(node)) {
      const tag = node.name;
      if (pictures && (tag === 'img' || tag === 'picture')) {
        const at = pictureAnchor(node);
        if (at) pictures.push(at);
      }
      if (rules.dropTags.has(tag) || isHidden(node) || (!keepCaptions && rules.captionTags.has(tag))) {
        gone.push(node);
        if (scripts && tag === 'script') scripts.push(node);
        else if (scripts && tag === 'head') for (const c of node.children) if (isTag(c) && c.name === 'script') scripts.push(c);
        continue;
      }
    } else if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') {
      gone.push(node);
      continue;
    }
    // Text nodes are never removed here: they are not stacked at all.
    if (isParent(node)) for (const child of node.children) if (child.type !== 'text') stack.push(child);
  }
  removeNodes(gone);
}

/** Share of the page's text an element may hold and still be removed as boilerplate. */
const MAX_BOILERPLATE_SHARE = 0.6;

export function isBoilerplateElement(el: Element, rules: CleanRules, stats: StatsMap): boolean {
  if (rules.boilerplateTags.has(el.name)) return true;
  const role = el.attribs['role'];
  if (role && rules.boilerplateRoles.has(role.toLowerCase())) return true;
  const hint = classifyHint(el, rules);
  if (hint === 'strong-negative') return true;
  // A weak hint ("widget", "meta") on a block of plain prose is not enough to drop it.
  return hint === 'negative' && !looksLikeProse(stats.get(el));
}

/** A long run of prose may carry more links (a box of picks, sources) and still be the article. */
const LONG_PROSE_CHARS = 1500;

function looksLikeProse(s: NodeStats | undefined): boolean {
  return !!s && s.text >= 150 && s.link <= s.text * (s.text >= LONG_PROSE_CHARS ? 0.2 : 0.1) && s.commas >= s.text / 400;
}

/**
 * Remove boilerplate elements below `root`. Elements in `keep` (the article
 * body and its ancestors) and elements holding most of the text survive;
 * their boilerplate descendants do not. `stats` is updated to match the pruned tree.
 */
export function softPrune(root: Element, rules: CleanRules, stats: StatsMap, keep: Set<Element>, order: readonly Element[] = elementsInOrder(root)): void {
  const total = stats.get(root)?.text ?? 0;
  const gone: Element[] = [];
  const never = new Set(['html', 'body']);
  for (const el of order) {
    if (gone.length && isInside(el, gone[gone.length - 1]!)) continue;
    if (el === root || keep.has(el) || never.has(el.name)) continue;
    if (!isBoilerplateElement(el, rules, stats)) continue;
    const share = total > 0 ? (stats.get(el)?.text ?? 0) / total : 0;
    if (share > MAX_BOILERPLATE_SHARE) continue;
    gone.push(el);
  }
  subtractRemoved(stats, gone, root);
  removeNodes(gone);
}
