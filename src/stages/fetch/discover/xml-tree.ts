/**
 * A minimal XML tree builder on htmlparser2's Tokenizer (xmlMode), giving
 * domhandler nodes like parseDocument(text, { xmlMode: true }).
 *
 * Why not parseDocument: htmlparser2's Parser keeps open tags with
 * Array.unshift and matches close tags with indexOf, which is quadratic on
 * deep or unclosed markup (an HTML page served as a feed, or garbage: 200 000
 * unclosed tags take minutes). Here the open elements are a plain stack plus,
 * per tag name, the stack positions where that name is open, so each event is
 * amortised O(1).
 *
 * Like htmlparser2 it never throws on broken markup: an unknown close tag is
 * ignored, a close tag closes everything opened after its element, and an open
 * tag cut off by the end of input is dropped. Comments, declarations and
 * processing instructions are dropped (discovery never reads them).
 */
import { type AnyNode, CDATA, Document, Element, type ParentNode, Text, isText } from 'domhandler';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** Parse XML leniently into a domhandler Document, in linear time. */
export function parseXmlTree(text: string): Document {
  return parseXmlTreeChecked(text).doc;
}

/** Elements the end of input cut off while open: their text may be cut too. */
const cutOff = new WeakSet<Element>();

/** The element was still open when the input ended (a truncated download). */
export function isCutOff(el: Element): boolean {
  return cutOff.has(el);
}

/** parseXmlTree, plus the first well-formedness problem met (a stray or mismatched close tag, input ending inside an element), or null. */
export function parseXmlTreeChecked(text: string): { doc: Document; problem: string | null } {
  const builder = new TreeBuilder(text);
  const tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: true }, builder);
  tokenizer.write(text);
  tokenizer.end();
  return { doc: builder.doc, problem: builder.problem };
}

class TreeBuilder implements TokenizerCallbacks {
  readonly doc = new Document([]);
  problem: string | null = null;
  private readonly open: Element[] = [];
  /** Tag name → positions in `open` where an element of that name is open (ascending). */
  private readonly openAt = new Map<string, number[]>();
  /** An open tag whose attributes are still being read. */
  private pending: Element | null = null;
  private attrName = '';
  private attrValue = '';

  constructor(private readonly text: string) {}

  ontext(start: number, end: number): void {
    this.addText(this.text.slice(start, end));
  }

  ontextentity(codePoint: number): void {
    this.addText(String.fromCodePoint(codePoint));
  }

  oncdata(start: number, end: number, endOffset: number): void {
    const text = new Text(this.text.slice(start, end - endOffset));
    const cdata = new CDATA([text]);
    text.parent = cdata;
    this.append(cdata);
  }

  onopentagname(start: number, end: number): void {
    this.pending = new Element(this.text.slice(start, end), {});
  }

  onattribname(start: number, end: number): void {
    this.attrName = this.text.slice(start, end);
    this.attrValue = '';
  }

  onattribdata(start: number, end: number): void {
    this.attrValue += this.text.slice(start, end);
  }

  onattribentity(codePoint: number): void {
    this.attrValue += String.fromCodePoint(codePoint);
  }

  onattribend(): void {
    const attribs = this.pending?.attribs;
    // The first of two same-named attributes wins, as in htmlparser2.
    if (!attribs || Object.hasOwn(attribs, this.attrName)) return;
    // defineProperty: an attribute named "__proto__" must stay an attribute, not replace the prototype.
    Object.defineProperty(attribs, this.attrName, { value: this.attrValue, enumerable: true, writable: true, configurable: true });
  }

  onopentagend(): void {
    const el = this.takePending();
    if (!el) return;
    const positions = this.openAt.get(el.name) ?? [];
    positions.push(this.open.length);
    this.openAt.set(el.name, positions);
    this.open.push(el);
  }

  onselfclosingtag(): void {
    this.takePending();
  }

  onclosetag(start: number, end: number): void {
    const name = this.text.slice(start, end);
    const at = this.openAt.get(name)?.at(-1);
    if (at === undefined) return this.note(`</${name}> closes no open element`);
    if (at !== this.open.length - 1) this.note(`</${name}> closes <${this.open.at(-1)?.name}>, left open`);
    while (this.open.length > at) this.pop();
  }

  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  onend(): void {
    if (this.pending) this.note(`input ends inside the tag <${this.pending.name}`);
    if (this.open.length > 0) this.note(`input ends inside <${this.open.at(-1)?.name}>`);
    for (const el of this.open) cutOff.add(el);
  }

  private note(problem: string): void {
    this.problem ??= problem;
  }

  private get parent(): ParentNode {
    return this.open.at(-1) ?? this.doc;
  }

  private takePending(): Element | null {
    const el = this.pending;
    this.pending = null;
    if (el) this.append(el);
    return el;
  }

  private pop(): void {
    const el = this.open.pop();
    if (el) this.openAt.get(el.name)?.pop();
  }

  /** Text split by entities is merged back into one node, as DomHandler does. */
  private addText(data: string): void {
    const last = this.parent.children.at(-1);
    if (last && isText(last)) last.data += data;
    else this.append(new Text(data));
  }

  private append(node: AnyNode): void {
    const parent = this.parent;
    const prev = parent.children.at(-1) ?? null;
    node.parent = parent;
    node.prev = prev;
    if (prev) prev.next = node;
    parent.children.push(node as (typeof parent.children)[number]);
  }
}
