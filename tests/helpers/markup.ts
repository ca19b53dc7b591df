/**
 * Markup for differential tests of the parser: fixture pages and seeded
 * random markup, and a text dump of a domhandler tree to compare.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type AnyNode, isTag, isText } from 'domhandler';

/** The tree as text: every node's kind, name, attributes (in order) and data. */
export function dump(nodes: AnyNode[], out: string[] = [], depth = 0): string[] {
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

// Pieces chosen to reach every tokenizer state (text, entities in text and
// attributes, both quotes, script/style/title bodies, comments, closing tags
// with junk, truncation anywhere) and every tree rule (implied closes, void
// and foreign elements, self-closing syntax, stray and upper-case end tags,
// repeated attributes).
const PIECES = ['<p>', '</p>', '<a href="', '"', "'", ' class=\'x', '>', '<', '&amp;', '&', '&#169;', '&nbsp', 'text ', 'نص ',
  '<script>', '</script>', '</scr', '<style>', '</style >', '<title>', '</title>', '<!--', '-->', '<![CDATA[', ']]>', '</div junk>',
  '<br/>', '=', ' ', '\n', 'x=1', '<svg><path d="', '</svg>', '<textarea>', '</textarea>', '<?xml ?>', '<!doctype html>',
  '<li>', '<tr>', '<td>', '<th>', '<table>', '</table>', '<div>', '</div>', '<h1>', '</br>', '<img src=x>', '</img>', '<svg>', '<circle/>',
  '<math>', '<mi>', '</mi>', '<foreignObject>', '<desc>', '<option>', '<select>', '<dd>', '<dt>', '<body>', '<head>', '<ul>', '</ul>',
  '</P>', '<DIV CLASS=a id=b class=c>', '<input disabled>', '<tbody>', '<tfoot>', '<rt>', '<rp>', '<span/>'];

/** `count` random markups, reproducible (seeds 1..count). */
export function randomMarkups(count: number): string[] {
  const out: string[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const next = random(seed);
    out.push(Array.from({ length: 5 + Math.floor(next() * 60) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(''));
  }
  return out;
}

/** Every .html file under tests/fixtures. */
export function fixturePages(): string[] {
  const pages: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.html')) pages.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(__dirname, '..', 'fixtures'));
  return pages;
}
