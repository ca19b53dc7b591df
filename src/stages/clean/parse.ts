import { Parser, type ParserOptions } from 'htmlparser2';
import { type Document, DomHandler, type DomHandlerOptions, type Element } from 'domhandler';
import { NewscleanError } from '../../shared/errors.js';
import { FastHtmlTokenizer } from './fast-tokenizer.js';

/** Elements open at once, at most: deeper than this, structure carries no meaning. */
export const MAX_DEPTH = 256;

const OPTIONS: ParserOptions & DomHandlerOptions = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, Tokenizer: FastHtmlTokenizer };

/**
 * Parse once with htmlparser2 (cheerio can wrap this tree without re-parsing;
 * its default parse5 path is several times slower). The tree is at most
 * MAX_DEPTH elements deep (see DepthCappedParser). More than `maxElements`
 * elements throw TOO_COMPLEX: the tree and everything the clean stage builds on
 * it grow with the element count, and a few MB of tags would fill the heap.
 * `elements`, when given, receives the tree's elements in document order.
 */
export function parseHtml(html: string, maxElements = Infinity, elements?: Element[]): Document {
  const handler = new TreeHandler(elements);
  new DepthCappedParser(handler, OPTIONS, maxElements).end(html);
  return handler.root;
}

/**
 * domhandler's tree builder. When given
 * a list, it also lists the elements as they are created, which is document
 * order (dom.elementsInOrder of the fresh tree): the parser only ever appends
 * a new element to the open one, and never moves one. Saves the metadata walk
 * a pass over the whole tree.
 */
class TreeHandler extends DomHandler {
  constructor(private readonly elements?: Element[]) {
    super(undefined, OPTIONS);
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    this.elements?.push(this.tagStack[this.tagStack.length - 1] as Element);
  }
}

/**
 * Tag and attribute names as the parser gives them are fresh slices of the
 * page, and on most pages two-byte strings (one non-Latin-1 character
 * anywhere makes the whole page, and every slice of it, two-byte). Each
 * `attribs[name] = value` then has the engine look the name up in its string
 * table, and every `el.name === 'p'` compares characters. One shared,
 * internalized copy per name (a property key is one, which is how it is made
 * here) removes both: about 5% of a page's extraction time
 * (docs/benchmarks.md). Bounded: cleared when full.
 */
const NAMES = new Map<string, string>();
const MAX_NAMES = 4000;

function internName(name: string): string {
  let shared = NAMES.get(name);
  if (shared === undefined) {
    if (NAMES.size >= MAX_NAMES) NAMES.clear();
    shared = Object.keys({ [name]: 0 })[0]!;
    NAMES.set(shared, shared);
  }
  return shared;
}

/** htmlparser2 10's private members used here. */
interface ParserInternals {
  /** Open-element stacks: innermost first. */
  stack: string[];
  foreignContext: boolean[];
  getSlice(start: number, end: number): string;
  emitOpenTag(name: string): void;
}

/**
 * htmlparser2 keeps its open elements in an array it unshifts and shifts, so
 * each tag costs time in proportion to the nesting depth: a page of 100,000
 * unclosed tags (old WYSIWYG markup, or garbage) took seconds, and a few MB of
 * them would hold a worker for an hour. Here, when an element opens with
 * MAX_DEPTH elements already open, the innermost of those is closed first, so
 * the new element becomes its sibling. Browsers do much the same past their
 * depth limit (Chromium: 512). The nesting is lost, but every element keeps
 * its own text, so headlines and paragraphs stay separate blocks.
 */
class DepthCappedParser extends Parser {
  private elements = 0;

  constructor(private readonly handler: DomHandler, options: ParserOptions, private readonly maxElements: number) {
    super(handler, options);
  }

  override onattribname(start: number, endIndex: number): void {
    super.onattribname(start, endIndex);
    const self = this as unknown as { attribname: string }; // private in htmlparser2 10's types
    self.attribname = internName(self.attribname);
  }

  override onopentagname(start: number, endIndex: number): void {
    if (++this.elements > this.maxElements) {
      throw new NewscleanError('TOO_COMPLEX', `more than ${this.maxElements} HTML elements (clean.maxElements)`);
    }
    // As Parser.onopentagname, with the name shared before the parser's own lookups (void, implied closes) use it.
    const self = this as unknown as ParserInternals;
    this.endIndex = endIndex;
    self.emitOpenTag(internName(self.getSlice(start, endIndex).toLowerCase())); // void elements are not pushed
    const { stack, foreignContext } = self;
    if (stack.length > MAX_DEPTH) {
      // The new element (stack[0]) is not in the tree yet: the handler's open
      // element is still the previous innermost one, which closes here.
      stack.splice(1, 1);
      this.handler.onclosetag();
    }
    if (foreignContext.length > MAX_DEPTH) foreignContext.length = MAX_DEPTH;
  }
}
