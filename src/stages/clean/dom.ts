/**
 * Small iterative helpers over the htmlparser2 (domhandler) tree. Nothing here
 * recurses: pages nested tens of thousands of elements deep must not overflow
 * the stack.
 */
import { type AnyNode, type Document, type Element, type ParentNode, isTag, isText } from 'domhandler';

export type { AnyNode, Document, Element, ParentNode };
export { isTag, isText };

/**
 * True for nodes with children (elements, the document, CDATA): a type check,
 * several times cheaper in hot walks than domhandler's hasOwnProperty-based hasChildren.
 */
export const isParent = (node: AnyNode): node is ParentNode => {
  const t = node.type;
  return t === 'tag' || t === 'script' || t === 'style' || t === 'root' || t === 'cdata';
};

/** Elements below `root` (root included) in document order. */
export function elementsInOrder(root: AnyNode): Element[] {
  const out: Element[] = [];
  if (!isParent(root)) return out;
  const stack: ParentNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isTag(node)) out.push(node);
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i]!;
      if (isParent(kid)) stack.push(kid); // text and comments hold no elements
    }
  }
  return out;
}

/** Visible text below `node` (script/style are removed before this is used). */
export function textOf(node: AnyNode): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isText(n)) parts.push(n.data);
    else if (isParent(n)) {
      const kids = n.children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join('');
}

/**
 * Remove many nodes at once: one pass per affected parent instead of a splice
 * per node, so pruning stays linear on huge flat pages.
 */
export function removeNodes(nodes: Iterable<AnyNode>): void {
  const byParent = new Map<ParentNode, Set<AnyNode>>();
  for (const node of nodes) {
    const parent = node.parent;
    if (!parent) continue;
    let set = byParent.get(parent);
    if (!set) byParent.set(parent, (set = new Set()));
    set.add(node);
  }
  for (const [parent, gone] of byParent) {
    const kept = parent.children.filter((c) => !gone.has(c));
    for (let i = 0; i < kept.length; i++) {
      kept[i]!.prev = kept[i - 1] ?? null;
      kept[i]!.next = kept[i + 1] ?? null;
    }
    for (const node of gone) node.parent = node.prev = node.next = null;
    parent.children = kept;
  }
}

/** True when `ancestor` is `node` or one of its ancestors. */
export function isInside(node: AnyNode, ancestor: AnyNode): boolean {
  for (let p: AnyNode | null = node; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** Lower-cased "class id" string of an element, for hint matching. */
export function classAndId(el: Element): string {
  const c = el.attribs['class'] ?? '';
  const id = el.attribs['id'] ?? '';
  return c || id ? `${c} ${id}`.toLowerCase() : '';
}

/** Text of an element, spaces collapsed; '' when there is no element. */
export const textIn = (el: Element | undefined): string => (el ? collapseSpaces(textOf(el)) : '');

export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Whitespace that renders as (at most) one space: space, \n, \t, \r, \f, NBSP. */
export const isCollapsibleSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 160;

/** Length of text ignoring whitespace runs, cheap enough for hot loops. */
export function visibleLength(s: string): number {
  let n = 0;
  let inSpace = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = isCollapsibleSpace(c);
    if (!space) n++;
    else if (!inSpace) n++;
    inSpace = space;
  }
  return n;
}

/**
 * A copy of `s` that holds no reference to the string it was cut from.
 * Attribute values are slices of the whole page's HTML: kept as memo keys
 * as they are, they would keep every page seen in memory.
 */
const ownCopy = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

/**
 * A memo keyed by two strings (an element's class, then its id): pages repeat
 * their class strings, so a test on them is computed once per distinct pair.
 * Nothing is concatenated on a hit. Bounded: cleared when `max` entries are held.
 */
export class PairMemo<T> {
  private readonly byFirst = new Map<string, Map<string, T>>();
  private size = 0;

  constructor(private readonly max = 20_000) {}

  get(first: string, second: string): T | undefined {
    return this.byFirst.get(first)?.get(second);
  }

  set(first: string, second: string, value: T): T {
    if (this.size >= this.max) {
      this.byFirst.clear();
      this.size = 0;
    }
    let bySecond = this.byFirst.get(first);
    if (!bySecond) this.byFirst.set(ownCopy(first), (bySecond = new Map()));
    bySecond.set(ownCopy(second), value);
    this.size++;
    return value;
  }
}
