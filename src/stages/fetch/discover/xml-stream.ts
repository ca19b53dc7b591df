/**
 * A streaming XML reader on htmlparser2's Tokenizer (xmlMode): text is written
 * in chunks and elements come out as open / text / close events, so a 50 MB
 * sitemap is never one JS string, and no tree is built.
 *
 * Same leniency as ./xml-tree.ts (and the same linear-time open stack: why
 * not htmlparser2's Parser is explained there): a close tag closes everything
 * opened after its element, an unknown close tag is ignored. Unlike the tree
 * builder it says when the markup was not well-formed (`problem`), and marks
 * the elements the end of input cut off (`close(depth, true)`).
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

export interface XmlEvents {
  /** An element starts; `depth` counts its open ancestors (0: top level). */
  open(name: string, attribs: Readonly<Record<string, string>>, depth: number): void;
  /** Text (entities decoded, CDATA included), possibly in several pieces. */
  text(data: string): void;
  /** The element at `depth` ends; `cut`: the input ended while it was open. */
  close(depth: number, cut: boolean): void;
}

export class XmlStream implements TokenizerCallbacks {
  /** The first well-formedness problem met, or null. */
  problem: string | null = null;
  private readonly tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: true }, this);
  /** Chunks not yet sliced; `bufferOffset` is the input position of the first one (as in htmlparser2's Parser). */
  private readonly buffers: string[] = [];
  private bufferOffset = 0;
  private readonly open: string[] = [];
  /** Tag name → positions in `open` where an element of that name is open (ascending). */
  private readonly openAt = new Map<string, number[]>();
  private pendingName: string | null = null;
  private pendingAttribs: Record<string, string> = Object.create(null) as Record<string, string>;
  private attrName = '';
  private attrValue = '';

  constructor(private readonly events: XmlEvents) {}

  write(chunk: string): void {
    if (chunk === '') return;
    this.buffers.push(chunk);
    this.tokenizer.write(chunk);
  }

  end(): void {
    this.tokenizer.end();
  }

  ontext(start: number, end: number): void {
    this.events.text(this.slice(start, end));
  }

  ontextentity(codePoint: number): void {
    this.events.text(String.fromCodePoint(codePoint));
  }

  oncdata(start: number, end: number, endOffset: number): void {
    this.events.text(this.slice(start, end - endOffset));
  }

  onopentagname(start: number, end: number): void {
    this.pendingName = this.slice(start, end);
    this.pendingAttribs = Object.create(null) as Record<string, string>;
  }

  onattribname(start: number, end: number): void {
    this.attrName = this.slice(start, end);
    this.attrValue = '';
  }

  onattribdata(start: number, end: number): void {
    this.attrValue += this.slice(start, end);
  }

  onattribentity(codePoint: number): void {
    this.attrValue += String.fromCodePoint(codePoint);
  }

  onattribend(): void {
    // The first of two same-named attributes wins, as in htmlparser2. (A null-prototype record: "__proto__" is just a name.)
    if (!(this.attrName in this.pendingAttribs)) this.pendingAttribs[this.attrName] = this.attrValue;
  }

  onopentagend(): void {
    const name = this.takePending();
    if (name === null) return;
    const positions = this.openAt.get(name) ?? [];
    positions.push(this.open.length);
    this.openAt.set(name, positions);
    this.open.push(name);
  }

  onselfclosingtag(): void {
    if (this.takePending() !== null) this.events.close(this.open.length, false);
  }

  onclosetag(start: number, end: number): void {
    const name = this.slice(start, end);
    const at = this.openAt.get(name)?.at(-1);
    if (at === undefined) return this.note(`</${name}> closes no open element`);
    if (at !== this.open.length - 1) this.note(`</${name}> closes <${this.open.at(-1)}>, left open`);
    while (this.open.length > at) this.pop(false);
  }

  onend(): void {
    if (this.pendingName !== null) this.note(`input ends inside the tag <${this.pendingName}`);
    if (this.open.length > 0) this.note(`input ends inside <${this.open.at(-1)}>`);
    while (this.open.length > 0) this.pop(true);
  }

  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  private takePending(): string | null {
    const name = this.pendingName;
    this.pendingName = null;
    if (name !== null) this.events.open(name, this.pendingAttribs, this.open.length);
    return name;
  }

  private pop(cut: boolean): void {
    const name = this.open.pop();
    if (name === undefined) return;
    this.openAt.get(name)?.pop();
    this.events.close(this.open.length, cut);
  }

  private note(problem: string): void {
    this.problem ??= problem;
  }

  /** Input positions [start, end) as a string, across chunk boundaries; chunks wholly before `start` are let go. */
  private slice(start: number, end: number): string {
    while (this.buffers.length > 1 && start - this.bufferOffset >= this.buffers[0]!.length) {
      this.bufferOffset += this.buffers.shift()!.length;
    }
    let out = this.buffers[0]!.slice(start - this.bufferOffset, end - this.bufferOffset);
    for (let i = 1, offset = this.bufferOffset + this.buffers[0]!.length; offset < end && i < this.buffers.length; i++) {
      out += this.buffers[i]!.slice(0, end - offset);
      offset += this.buffers[i]!.length;
    }
    return out;
  }
}
