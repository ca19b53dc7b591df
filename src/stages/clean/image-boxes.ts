/**
 * Captions without <figcaption>: a box that holds a picture and a short text
 * beside it (a div of an img and a one-line description, a photo credit, a
 * gallery slide) is the picture's caption, whatever the site calls it. Only a
 * box (div, figure, section) counts: a paragraph with an inline picture is text.
 */
import { type Element, collapseSpaces, elementsInOrder, isInside, isTag, removeNodes, textOf } from './dom.js';
import { type StatsMap, subtractRemoved } from './stats.js';

/** Longest caption text; longer text beside a picture is more likely prose that wraps it. */
const MAX_CAPTION_CHARS = 300;
const MIN_CAPTION_CHARS = 15;
/** Wrappers (links, spans, divs) a picture may sit in before the box that holds its caption. */
const MAX_CLIMB = 6;
const BOX_TAGS = new Set(['div', 'figure', 'section']);
/** An image declared smaller than this is an icon, an emoji or a logo, not a picture with a caption. */
const MIN_PICTURE_PX = 100;
/** Enough of the declared description to know the standfirst by. */
const DESCRIPTION_PREFIX = 60;
const NOT_A_PICTURE = /emoji|icon|logo|avatar|spinner|pixel/i;

/** Where a picture sits, for `dropImageBoxes`; called by the pruning walk on every <img> and <picture>. */
export function pictureAnchor(el: Element): Element | null {
  if (el.name === 'img') {
    const a = el.attribs;
    const small = (v: string | undefined) => v !== undefined && Number(v) > 0 && Number(v) < MIN_PICTURE_PX;
    if (small(a['width']) || small(a['height']) || NOT_A_PICTURE.test(`${a['class'] ?? ''} ${a['src'] ?? ''}`)) return null;
  }
  const p = el.parent;
  return p && isTag(p) ? p : null;
}

/** What a caption box must not hold: the standfirst (a lead candidate, or the declared description) or the selected body. */
export interface BoxGuards {
  lead: Element | null;
  description: string | null | undefined;
  keep: Element | null;
}

/** Remove the caption boxes of the pictures at `anchors` (see pictureAnchor), keeping `stats` in step; returns how many it removed. */
export function dropImageBoxes(anchors: Element[], stats: StatsMap, root: Element, guards: BoxGuards): number {
  const boxes = new Set<Element>();
  for (const anchor of anchors) {
    let el: Element | null = anchor;
    // A few characters on the way up (a play button's label, a duration) belong to the picture, not to its caption.
    for (let i = 0; el && i < MAX_CLIMB && (stats.get(el)?.text ?? 0) < MIN_CAPTION_CHARS; i++) el = el.parent && isTag(el.parent) ? el.parent : null;
    if (!el || el === root || !BOX_TAGS.has(el.name)) continue;
    const text = stats.get(el)?.text ?? 0;
    if (text >= MIN_CAPTION_CHARS && text <= MAX_CAPTION_CHARS && !holdsHeading(el)) boxes.add(el);
  }
  const lead = guards.description ? collapseSpaces(guards.description).slice(0, DESCRIPTION_PREFIX) : '';
  const holdsLead = (box: Element) =>
    (!!guards.lead && isInside(guards.lead, box)) || (!!guards.keep && isInside(guards.keep, box)) || (lead.length >= MIN_CAPTION_CHARS && collapseSpaces(textOf(box)).includes(lead));
  const gone = [...boxes].filter((el) => !hasAncestorIn(el, boxes) && !holdsLead(el));
  subtractRemoved(stats, gone, root);
  removeNodes(gone);
  return gone.length;
}

/** A box with a heading is a story header (headline, standfirst and picture) or a card, not a caption. */
function holdsHeading(box: Element): boolean {
  for (const el of elementsInOrder(box)) if (el.name.length === 2 && el.name[0] === 'h' && el.name[1]! >= '1' && el.name[1]! <= '6') return true;
  return false;
}

function hasAncestorIn(el: Element, set: Set<Element>): boolean {
  for (let p = el.parent; p && isTag(p); p = p.parent) if (set.has(p)) return true;
  return false;
}
