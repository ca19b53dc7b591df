import { parseDocument } from 'htmlparser2';
import { type AnyNode, type Document, Text, hasChildren } from 'domhandler';
import { textOf } from './dom.js';

/** Deeper than this, structure carries no meaning: the subtree is flattened to its text. */
export const MAX_DEPTH = 256;

/**
 * Parse once with htmlparser2 (cheerio can wrap this tree without re-parsing;
 * its default parse5 path is several times slower).
 */
export function parseHtml(html: string): Document {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  flattenDeepSubtrees(doc);
  return doc;
}

/** Replace the children of every node at MAX_DEPTH by a single text node. */
function flattenDeepSubtrees(doc: Document): void {
  // Two parallel stacks rather than one of [node, depth] pairs: no allocation per node.
  const nodes: AnyNode[] = [doc];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (!hasChildren(node)) continue;
    if (depth >= MAX_DEPTH) {
      const text = new Text(textOf(node));
      text.parent = node;
      node.children = [text];
      continue;
    }
    for (const child of node.children) {
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
}
