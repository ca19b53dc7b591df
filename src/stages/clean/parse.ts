import type { Document, Element } from 'domhandler';
import { FastHtmlTokenizer } from './fast-tokenizer.js';
import { TreeBuilder } from './tree-builder.js';

export { MAX_DEPTH } from './tree-builder.js';

/**
 * Parse once: htmlparser2's tokenizer (fast-tokenizer.ts) feeding
 * tree-builder.ts, which builds the domhandler tree htmlparser2's Parser and
 * DomHandler would (cheerio can wrap this tree without re-parsing; its
 * default parse5 path is several times slower). The tree is at most
 * MAX_DEPTH elements deep. More than `maxElements` elements throw
 * TOO_COMPLEX: the tree and everything the clean stage builds on it grow
 * with the element count, and a few MB of tags would fill the heap.
 * `elements`, when given, receives the tree's elements in document order
 * (the metadata walk then needs no pass of its own).
 */
export function parseHtml(html: string, maxElements = Infinity, elements?: Element[]): Document {
  const builder = new TreeBuilder(html, maxElements, elements);
  const tokenizer = new FastHtmlTokenizer({ xmlMode: false, decodeEntities: true }, builder);
  tokenizer.write(html);
  tokenizer.end();
  return builder.root;
}
