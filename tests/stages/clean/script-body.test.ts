import { describe, expect, it } from 'vitest';
import type { Element } from 'domhandler';
import { parseHtml } from '../../../src/stages/clean/parse.js';
import { elementsInOrder } from '../../../src/stages/clean/dom.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { bodyFromScripts } from '../../../src/stages/clean/script-body.js';

const rules = loadCleanRules();
const opts = { keepTables: false, keepCaptions: false };
const P = [
  'The county will rebuild the old stone bridge over the river next spring, after engineers found the arches had shifted, and traffic will use a temporary crossing.',
  'Work is expected to take eight months, the roads office said, and the footpath on the south side will stay open for walkers and cyclists for most of that time.',
  'Residents asked for the new bridge to keep the look of the old one, and the county has agreed to reuse the facing stones where they are still sound.',
];
const html = (ps: string[]) => ps.map((p) => `<p>${p}</p>`).join('');
/** As a JSON serializer writes it into a page: quotes escaped, < and > as \u003c / \u003e. */
const literal = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');

const scriptsOf = (page: string): Element[] => elementsInOrder(parseHtml(page)).filter((e) => e.name === 'script');
const text = (blocks: { text: string }[] | null) => (blocks ?? []).map((b) => b.text).join('\n');

describe('bodyFromScripts', () => {
  it('reads the article from a JSON-escaped HTML string in a state script', () => {
    const page = `<script>window.__STATE__ = {"article":{"contentHtml":${literal(html(P) + '<div class="caption"><p>Photo of the bridge</p></div>')}}};</script>`;
    const got = text(bodyFromScripts(scriptsOf(page), rules, opts));
    for (const p of P) expect(got).toContain(p);
    expect(got).not.toContain('Photo of the bridge');
  });

  it('picks the string with the most prose, not the first', () => {
    const teasers = html(['Short teaser one, with little text in it at all.', 'Short teaser two, also with little text in it.']).repeat(3);
    const page = `<script>self.__next_f.push([1,${literal(teasers)}])</script><script>var s = {"body":${literal(html(P))}};</script>`;
    expect(text(bodyFromScripts(scriptsOf(page), rules, opts))).toContain(P[2]);
  });

  it('ignores scripts with a src, JSON-LD, and strings without paragraph markup', () => {
    const long = P.join(' ');
    const page = `<script src="/app.js">${literal(html(P))}</script><script type="application/ld+json">{"articleBody":${literal(html(P))}}</script><script>var t = ${JSON.stringify(long)};</script>`;
    expect(bodyFromScripts(scriptsOf(page), rules, opts)).toBeNull();
  });

  it('drops template placeholders left in the stored HTML', () => {
    const page = `<script>var a = {"html":${literal(html(P.slice(0, 2)) + '$$ARTICLEAD$$' + html(P.slice(2)))}};</script>`;
    expect(text(bodyFromScripts(scriptsOf(page), rules, opts))).not.toContain('ARTICLEAD');
  });
});
