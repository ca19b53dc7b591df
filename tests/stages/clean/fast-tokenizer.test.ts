import { describe, expect, it } from 'vitest';
import { Parser, Tokenizer } from 'htmlparser2';
import { DomHandler } from 'domhandler';
import { FastHtmlTokenizer } from '../../../src/stages/clean/fast-tokenizer.js';
import { dump, fixturePages, randomMarkups } from '../../helpers/markup.js';

const OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

function parse(html: string | string[], tokenizer: typeof Tokenizer): string[] {
  const handler = new DomHandler();
  const parser = new Parser(handler, { ...OPTIONS, Tokenizer: tokenizer });
  for (const chunk of Array.isArray(html) ? html : [html]) parser.write(chunk);
  parser.end();
  return dump(handler.root.children);
}

function sameTree(html: string | string[]): void {
  expect(parse(html, FastHtmlTokenizer)).toEqual(parse(html, Tokenizer));
}

describe('FastHtmlTokenizer', () => {
  it('builds the same tree as htmlparser2 for every fixture page', () => {
    const pages = fixturePages();
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) sameTree(page);
  });

  it('builds the same tree for random markup, whole and in chunks', () => {
    randomMarkups(400).forEach((html, i) => {
      sameTree(html);
      const cut = (i * 7919) % (html.length + 1);
      sameTree([html.slice(0, cut), html.slice(cut)]);
    });
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
