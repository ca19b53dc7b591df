import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Parser, Tokenizer } from 'htmlparser2';
import { type AnyNode, DomHandler, isTag, isText } from 'domhandler';
import { FastHtmlTokenizer } from '../../../src/stages/clean/fast-tokenizer.js';

const OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/** The tree as text: every node's kind, name, attributes (in order) and data. */
function dump(nodes: AnyNode[], out: string[] = [], depth = 0): string[] {
  for (const n of nodes) {
    if (isTag(n)) {
      out.push(`${depth} <${n.name} ${JSON.stringify(Object.entries(n.attribs))}`);
      dump(n.children, out, depth + 1);
    } else {
      out.push(`${depth} ${n.type} ${JSON.stringify(isText(n) ? n.data : (n as { data?: string }).data ?? '')}`);
    }
  }
  return out;
}

function parse(html: string | string[], tokenizer: typeof Tokenizer): string[] {
  const handler = new DomHandler(undefined, OPTIONS);
  const parser = new Parser(handler, { ...OPTIONS, Tokenizer: tokenizer });
  for (const chunk of Array.isArray(html) ? html : [html]) parser.write(chunk);
  parser.end();
  return dump(handler.root.children);
}

function sameTree(html: string | string[]): void {
  expect(parse(html, FastHtmlTokenizer)).toEqual(parse(html, Tokenizer));
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces chosen to hit every state the subclass changes: text, entities in
// text and attributes, both quotes, script/style/title bodies, comments,
// closing tags with junk, and truncation anywhere.
const PIECES = ['<p>', '</p>', '<a href="', '"', "'", ' class=\'x', '>', '<', '&amp;', '&', '&#169;', '&nbsp', 'text ', 'نص ',
  '<script>', '</script>', '</scr', '<style>', '</style >', '<title>', '</title>', '<!--', '-->', '<![CDATA[', ']]>', '</div junk>',
  '<br/>', '=', ' ', '\n', 'x=1', '<svg><path d="', '</svg>', '<textarea>', '</textarea>', '<?xml ?>', '<!doctype html>'];

describe('FastHtmlTokenizer', () => {
  it('builds the same tree as htmlparser2 for every fixture page', () => {
    const dir = join(__dirname, '..', '..', 'fixtures');
    const pages: string[] = [];
    const walk = (d: string): void => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.html')) pages.push(p);
      }
    };
    walk(dir);
    expect(pages.length).toBeGreaterThan(20);
    for (const p of pages) sameTree(readFileSync(p, 'utf8'));
  });

  it('builds the same tree for random markup, whole and in chunks', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const html = Array.from({ length: 5 + Math.floor(next() * 60) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
      sameTree(html);
      const cut = Math.floor(next() * html.length);
      sameTree([html.slice(0, cut), html.slice(cut)]);
    }
  });

  it('decodes entities in text and attribute values after a jump', () => {
    const tree = parse('<p title="a &amp; b">x &lt; y &copy</p>', FastHtmlTokenizer);
    expect(tree).toEqual(['0 <p [["title","a & b"]]', '1 text "x < y ©"']);
  });

  it('leaves a script body whole, with its own < and quotes', () => {
    const tree = parse('<script>if (a < b && c) x = "</p>";</script><p>after</p>', FastHtmlTokenizer);
    expect(tree[1]).toBe('1 text "if (a < b && c) x = \\"</p>\\";"');
    expect(tree[2]).toBe('0 <p []');
  });
});
