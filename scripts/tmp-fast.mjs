import { readFileSync, readdirSync } from 'node:fs';
import { parseDocument, Parser, Tokenizer } from 'htmlparser2';
import { DomHandler } from 'domhandler';
import render from 'dom-serializer';
const LT = 60, AMP = 38, DQ = 34, SQ = 39;
class FastTokenizer extends Tokenizer {
  constructor(o, cbs) { super(o, cbs); this.nextAmp = -2; this.ampFrom = -1; }
  /** Position of the next '&' at or after i in the buffer (cached; -1 for none). */
  ampAt(i) {
    if (this.nextAmp === -2 || (this.nextAmp !== -1 && this.nextAmp < i) || i < this.ampFrom) { this.nextAmp = this.buffer.indexOf('&', i); this.ampFrom = i; }
    return this.nextAmp;
  }
  fastForwardTo(c) {
    const at = this.buffer.indexOf(String.fromCharCode(c), this.index + 1 - this.offset);
    if (at >= 0) { this.index = at + this.offset; return true; }
    this.index = this.buffer.length + this.offset - 1;
    return false;
  }
  stateText(c) {
    if (c !== LT && c !== AMP && this.decodeEntities) {
      const i = this.index - this.offset;
      let lt = this.buffer.indexOf('<', i + 1); if (lt < 0) lt = this.buffer.length;
      let amp = this.ampAt(i + 1); if (amp < 0) amp = this.buffer.length;
      this.index = Math.min(lt, amp) - 1 + this.offset;
      return;
    }
    super.stateText(c);
  }
  handleInAttributeValue(c, quote) {
    if (c !== quote && c !== AMP && this.decodeEntities) {
      const i = this.index - this.offset;
      let q = this.buffer.indexOf(quote === DQ ? '"' : "'", i + 1); if (q < 0) q = this.buffer.length;
      let amp = this.ampAt(i + 1); if (amp < 0) amp = this.buffer.length;
      this.index = Math.min(q, amp) - 1 + this.offset;
      return;
    }
    super.handleInAttributeValue(c, quote);
  }
}
const dir = '/work/shared/datasets/extraction-dev/pages';
const strs = readdirSync(dir).sort().map((f) => readFileSync(`${dir}/${f}`).toString('utf8'));
const O = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
const fast = (s) => { const h = new DomHandler(undefined, O); new Parser(h, { ...O, Tokenizer: FastTokenizer }).end(s); return h.root; };
const slow = (s) => { const h = new DomHandler(undefined, O); new Parser(h, O).end(s); return h.root; };
let diff = 0;
for (const s of strs) if (render(fast(s)) !== render(slow(s))) diff++;
console.log('differing pages', diff);
function t(label, fn) { for (let r=0;r<2;r++) fn(); let best=1e9; for (let r=0;r<5;r++){const t0=performance.now(); fn(); best=Math.min(best,performance.now()-t0);} console.log(label, best.toFixed(0),'ms'); }
for (let k=0;k<2;k++){
t('slow', () => strs.forEach(slow));
t('fast', () => strs.forEach(fast));
t('parseDocument', () => strs.forEach((s)=>parseDocument(s)));
}
