/**
 * htmlparser2's Tokenizer looks at every character in turn, in JavaScript,
 * even inside a paragraph's text or a long attribute value, where it only
 * waits for one of two characters. This subclass jumps there with the
 * engine's native String#indexOf instead: text runs to the next `<` or `&`,
 * a quoted attribute value to its closing quote or the next `&`, a tag or
 * attribute name to its end in a tight loop of its own, and the
 * states that skip to one character (script and style bodies, comments, the
 * rest of a closing tag) find it the same way. The tokens, and so the tree,
 * are exactly those of the base class (tests/stages/clean/fast-tokenizer
 * parses fixtures and random markup both ways); parsing is about a third
 * faster.
 *
 * It reads and overrides members that htmlparser2 10 declares private (the
 * version is pinned): the interface below names them.
 */
import { Tokenizer } from 'htmlparser2';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const AMP = 0x26;
const DOUBLE_QUOTE = 0x22;

interface TokenizerInternals {
  /** The chunk being read; `index` counts from the first chunk, `offset` is where this one starts. */
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
  write(chunk: string): void;
  stateText(c: number): void;
  stateInTagName(c: number): void;
  stateInAttributeName(c: number): void;
  stateInClosingTagName(c: number): void;
  handleInAttributeValue(c: number, quote: number): void;
  fastForwardTo(c: number): boolean;
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
/** Where a tag or attribute name ends (the base class's isEndOfTagSection, and `=` for attribute names). */
const endsTagName = (c: number): boolean => c === GT || c === SLASH || isWhitespace(c);
const endsAttributeName = (c: number): boolean => c === EQUALS || endsTagName(c);
const endsClosingTagName = (c: number): boolean => c === GT || isWhitespace(c);

const Base = Tokenizer as unknown as new (...args: ConstructorParameters<typeof Tokenizer>) => TokenizerInternals;

class FastTokenizer extends Base {
  /** Where in `buffer` the next `&` is (-1: none left; -2: not searched in this chunk yet). */
  private nextAmp = -2;

  override write(chunk: string): void {
    this.nextAmp = -2;
    super.write(chunk);
  }

  /** Buffer position of the first `&` at or after `at`, or -1. One search serves every jump up to it. */
  private ampAt(at: number): number {
    if (this.nextAmp === -2 || (this.nextAmp !== -1 && this.nextAmp < at)) this.nextAmp = this.buffer.indexOf('&', at);
    return this.nextAmp;
  }

  /** Leave `index` just before the first of `found` and the next `&` (the parse loop steps onto it). */
  private skipTo(found: number, from: number): void {
    const end = this.buffer.length;
    const amp = this.ampAt(from);
    this.index = Math.min(found < 0 ? end : found, amp < 0 ? end : amp) - 1 + this.offset;
  }

  override fastForwardTo(c: number): boolean {
    const at = this.buffer.indexOf(String.fromCharCode(c), this.index + 1 - this.offset);
    if (at >= 0) {
      this.index = at + this.offset;
      return true;
    }
    this.index = this.buffer.length + this.offset - 1; // as the base class leaves it
    return false;
  }

  override stateText(c: number): void {
    if (c === LT || c === AMP || !this.decodeEntities) return super.stateText(c);
    const from = this.index - this.offset + 1;
    this.skipTo(this.buffer.indexOf('<', from), from);
  }

  /** Inside a name, every character but its terminator is passed over: leave `index` just before the terminator. */
  private skipName(ends: (c: number) => boolean): void {
    const { buffer } = this;
    let at = this.index - this.offset + 1;
    while (at < buffer.length && !ends(buffer.charCodeAt(at))) at++;
    this.index = at - 1 + this.offset;
  }

  override stateInTagName(c: number): void {
    if (endsTagName(c)) return super.stateInTagName(c);
    this.skipName(endsTagName);
  }

  override stateInAttributeName(c: number): void {
    if (endsAttributeName(c)) return super.stateInAttributeName(c);
    this.skipName(endsAttributeName);
  }

  override stateInClosingTagName(c: number): void {
    if (endsClosingTagName(c)) return super.stateInClosingTagName(c);
    this.skipName(endsClosingTagName);
  }

  override handleInAttributeValue(c: number, quote: number): void {
    if (c === quote || c === AMP || !this.decodeEntities) return super.handleInAttributeValue(c, quote);
    const from = this.index - this.offset + 1;
    this.skipTo(this.buffer.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", from), from);
  }
}

/** With htmlparser2's Tokenizer type (its constructor and callbacks): parse.ts feeds it to tree-builder.ts. */
export const FastHtmlTokenizer = FastTokenizer as unknown as typeof Tokenizer;
