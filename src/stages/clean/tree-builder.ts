/**
 * The tree builder: htmlparser2's tokens straight to domhandler nodes.
 *
 * htmlparser2's Parser turns tokens into events and domhandler's DomHandler
 * turns events into nodes; each keeps its own stack of open elements, and the
 * Parser's is an array it unshifts and shifts. On news pages those two layers
 * cost as much as the tokenizer itself. This class does both jobs at once
 * with one set of rules, the Parser's (HTML mode, lower-cased names,
 * self-closing syntax honoured only inside <svg> and <math>, CDATA kept as a
 * comment): the tree is the one Parser + DomHandler build
 * (tests/stages/clean/tree-builder.test.ts parses fixtures and random markup
 * both ways).
 *
 * Two things are added. Depth is capped: when an element opens with
 * MAX_DEPTH elements open, the innermost of those is closed first, so the new
 * element becomes its sibling (browsers do much the same past their limit;
 * Chromium's is 512): a page of 100,000 unclosed tags stays linear, every
 * element keeps its own text. And tag and attribute names are shared strings
 * (internName).
 */
import type { TokenizerCallbacks } from 'htmlparser2';
import { type ChildNode, Comment, Document, Element, ProcessingInstruction, Text } from 'domhandler';
import { NewscleanError } from '../../shared/errors.js';

/** Elements open at once, at most: deeper than this, structure carries no meaning. */
export const MAX_DEPTH = 256;

// htmlparser2 10's HTML rules (Parser.ts), so that the trees are the same.
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const P_TAG = new Set(['p']);
const TABLE_SECTION_TAGS = new Set(['thead', 'tbody']);
const DD_DT_TAGS = new Set(['dd', 'dt']);
const RT_RP_TAGS = new Set(['rt', 'rp']);
/** An element of the key's name closes open elements of these names (innermost first, while they match). */
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((t): [string, Set<string>] => [t, P_TAG]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t): [string, Set<string>] => [t, FORM_TAGS]),
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT_TAGS],
  ['dt', DD_DT_TAGS],
  ...['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map(
    (t): [string, Set<string>] => [t, P_TAG],
  ),
  ['rt', RT_RP_TAGS],
  ['rp', RT_RP_TAGS],
  ['tbody', TABLE_SECTION_TAGS],
  ['tfoot', TABLE_SECTION_TAGS],
]);
const VOID_ELEMENTS = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const FOREIGN_CONTEXT_ELEMENTS = new Set(['math', 'svg']);
const HTML_INTEGRATION_ELEMENTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
const NAME_END = /\s|\//;

/**
 * Tag and attribute names as the tokenizer finds them are fresh slices of the
 * page, and on most pages two-byte strings (one non-Latin-1 character
 * anywhere makes the whole page, and every slice of it, two-byte). Each
 * `attribs[name] = value` then has the engine look the name up in its string
 * table, and every `el.name === 'p'` compares characters. Here each name is
 * one shared, internalized string (a property key is one, which is how it is
 * made), found without slicing: a small table hashed on the name's
 * characters, checked character by character, answers most names; a miss
 * slices, lower-cases and interns (a bounded map). About 5% of a page's
 * extraction time.
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

/**
 * An empty attribute object, without a prototype: V8 keeps it as a
 * dictionary. As an ordinary object, each of a page's thousands of
 * attribute-name sequences got its own hidden class, and the clean stage's
 * attribs['class'] reads missed the engine's caches; a dictionary read is one
 * hash lookup (~5% of extraction in an A/B). Nothing inherited can pass for
 * an attribute.
 */
const noAttributes = (): Record<string, string> => Object.create(null) as Record<string, string>;

const SLOTS = 4096;
/** Real tag and attribute names are short; longer ones are not shared (the tables would hold them for good). */
const MAX_SHARED_NAME = 64;
const slots: string[] = new Array<string>(SLOTS).fill('');

const asciiLower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** The lower-cased, shared name at html[start, end). */
function nameAt(html: string, start: number, end: number): string {
  // Garbage markup can make a name of any length: such names are not kept.
  if (end - start > MAX_SHARED_NAME) return html.slice(start, end).toLowerCase();
  let h = end - start;
  for (let i = start; i < end; i++) h = (h * 31 + asciiLower(html.charCodeAt(i))) & (SLOTS - 1);
  const known = slots[h]!;
  if (known.length === end - start) {
    let i = 0;
    while (i < known.length && asciiLower(html.charCodeAt(start + i)) === known.charCodeAt(i)) i++;
    if (i === known.length) return known;
  }
  return (slots[h] = internName(html.slice(start, end).toLowerCase()));
}

export class TreeBuilder implements TokenizerCallbacks {
  readonly root = new Document([]);
  /** The Parser's open-element names, innermost last. */
  private readonly names: string[] = [];
  /** The tree's open nodes (the document first), innermost last: the Parser's and the handler's stacks can differ, as there. */
  private readonly open: (Element | Document)[] = [this.root];
  /**
   * The open nodes' children so far, one run after another (an open node's
   * run starts at its kidsFrom entry). A node gets its run as an array of its
   * own when it closes: arrays grown a child at a time would each reserve
   * room for ~17 children, and most elements have one to three.
   */
  private readonly kids: ChildNode[] = [];
  private readonly kidsFrom: number[] = [0];
  /** Per open <svg>/<math> (true) or HTML integration point (false): self-closing syntax counts where the innermost is true. */
  private readonly foreign: boolean[] = [false];
  /** The text node that text right after it joins (entities split text into several tokens). */
  private lastText: Text | null = null;
  private tagName = '';
  private attribs: Record<string, string> | null = null;
  private attribName = '';
  private attribValue = '';
  private count = 0;

  /** `elements`, when given, receives every element in document order as it is created. */
  constructor(private readonly html: string, private readonly maxElements = Infinity, private readonly elements?: Element[]) {}

  private addNode(node: ChildNode): void {
    const { kids } = this;
    const previous = kids.length > this.kidsFrom[this.kidsFrom.length - 1]! ? kids[kids.length - 1] : undefined;
    kids.push(node);
    if (previous) {
      node.prev = previous;
      previous.next = node;
    }
    node.parent = this.open[this.open.length - 1]!;
    this.lastText = null;
  }

  /** Both stacks' close: the innermost open element ends. */
  private closeElement(): void {
    this.names.pop();
    this.closeNode();
  }

  /** Parser.closeCurrentTag: the open tag ends, and closes at once if it is the innermost element. */
  private closeCurrentTag(): void {
    const name = this.tagName;
    this.endOpenTag();
    if (this.names[this.names.length - 1] === name) this.closeElement();
  }

  /** The handler's close: its innermost open node ends, and gets its children. */
  private closeNode(): void {
    this.lastText = null;
    const node = this.open.pop();
    const from = this.kidsFrom.pop();
    if (node === undefined || from === undefined) return;
    node.children = this.kids.slice(from);
    this.kids.length = from;
  }

  private addText(data: string): void {
    if (this.lastText) {
      this.lastText.data += data;
      return;
    }
    const node = new Text(data);
    this.addNode(node);
    this.lastText = node;
  }

  ontext(start: number, endIndex: number): void {
    this.addText(this.html.slice(start, endIndex));
  }

  ontextentity(codepoint: number): void {
    this.addText(String.fromCodePoint(codepoint));
  }

  onopentagname(start: number, endIndex: number): void {
    if (++this.count > this.maxElements) {
      throw new NewscleanError('TOO_COMPLEX', `more than ${this.maxElements} HTML elements (clean.maxElements)`);
    }
    this.openTag(nameAt(this.html, start, endIndex));
    const { names, foreign } = this;
    if (names.length > MAX_DEPTH) {
      // The new element is not in the tree yet: the tree's innermost open element is the one before it, which closes here.
      names.splice(names.length - 2, 1);
      this.closeNode();
    }
    if (foreign.length > MAX_DEPTH) foreign.splice(0, foreign.length - MAX_DEPTH);
  }

  /** Parser.emitOpenTag: implied closes, then the name goes on the stack; the node is made when the tag ends. */
  private openTag(name: string): void {
    this.tagName = name;
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    if (closes) {
      const { names } = this;
      while (names.length > 0 && closes.has(names[names.length - 1]!)) this.closeElement();
    }
    if (!VOID_ELEMENTS.has(name)) {
      this.names.push(name);
      if (FOREIGN_CONTEXT_ELEMENTS.has(name)) this.foreign.push(true);
      else if (HTML_INTEGRATION_ELEMENTS.has(name)) this.foreign.push(false);
    }
    this.attribs = noAttributes();
  }

  /** Parser.endOpenTag: the element joins the tree (and, unless void, stays open). */
  private endOpenTag(): void {
    if (this.attribs) {
      const element = new Element(this.tagName, this.attribs);
      this.addNode(element);
      this.elements?.push(element);
      if (!VOID_ELEMENTS.has(this.tagName)) {
        this.open.push(element);
        this.kidsFrom.push(this.kids.length);
      }
      this.attribs = null;
    }
    this.tagName = '';
  }

  onopentagend(): void {
    this.endOpenTag();
  }

  onselfclosingtag(): void {
    if (this.foreign[this.foreign.length - 1]) this.closeCurrentTag();
    else this.endOpenTag();
  }

  onclosetag(start: number, endIndex: number): void {
    const name = nameAt(this.html, start, endIndex);
    if (FOREIGN_CONTEXT_ELEMENTS.has(name) || HTML_INTEGRATION_ELEMENTS.has(name)) this.foreign.pop();
    if (VOID_ELEMENTS.has(name)) {
      // `</br>` is a <br>, as in browsers; other void end tags are nothing.
      if (name === 'br') {
        const br = new Element('br', noAttributes());
        this.addNode(br);
        this.elements?.push(br);
      }
      return;
    }
    const { names } = this;
    const at = names.lastIndexOf(name);
    if (at !== -1) {
      while (names.length > at) this.closeElement();
    } else if (name === 'p') {
      // `</p>` with no <p> open is an empty paragraph.
      this.openTag('p');
      this.closeCurrentTag();
    }
  }

  onattribname(start: number, endIndex: number): void {
    this.attribName = nameAt(this.html, start, endIndex);
  }

  onattribdata(start: number, endIndex: number): void {
    this.attribValue += this.html.slice(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    this.attribValue += String.fromCodePoint(codepoint);
  }

  onattribend(): void {
    const { attribs, attribName } = this;
    // The first of repeated attributes wins.
    if (attribs && !Object.prototype.hasOwnProperty.call(attribs, attribName)) attribs[attribName] = this.attribValue;
    this.attribValue = '';
  }

  oncomment(start: number, endIndex: number, endOffset: number): void {
    this.addNode(new Comment(this.html.slice(start, endIndex - endOffset)));
  }

  /** HTML has no CDATA outside foreign content: htmlparser2 keeps it as a comment. */
  oncdata(start: number, endIndex: number, endOffset: number): void {
    this.addNode(new Comment(`[CDATA[${this.html.slice(start, endIndex - endOffset)}]]`));
  }

  ondeclaration(start: number, endIndex: number): void {
    this.instruction('!', this.html.slice(start, endIndex));
  }

  onprocessinginstruction(start: number, endIndex: number): void {
    this.instruction('?', this.html.slice(start, endIndex));
  }

  private instruction(mark: string, value: string): void {
    const end = value.search(NAME_END);
    const name = (end < 0 ? value : value.slice(0, end)).toLowerCase();
    this.addNode(new ProcessingInstruction(`${mark}${name}`, `${mark}${value}`));
  }

  onend(): void {
    for (let i = this.names.length; i > 0; i--) this.closeNode();
    this.names.length = 0;
    // The document, and any node the parser's stack no longer names (a page that ends inside a tag), get their children.
    while (this.open.length > 0) this.closeNode();
  }
}
