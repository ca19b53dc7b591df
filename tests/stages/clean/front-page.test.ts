import { describe, expect, it } from 'vitest';
import { declaresArticle, looksLikeFrontPage } from '../../../src/stages/clean/front-page.js';
import type { RawMetadata } from '../../../src/shared/types.js';

const withTypes = (types: string[]) => ({ meta: { types } as unknown as RawMetadata });

describe('looksLikeFrontPage', () => {
  it('a page that declares an item list or collection and no article is a front page', () => {
    expect(looksLikeFrontPage(withTypes(['website', 'itemlist']))).toBe(true);
    expect(looksLikeFrontPage(withTypes(['collectionpage']))).toBe(true);
    expect(looksLikeFrontPage(withTypes(['searchresultspage']))).toBe(true);
  });

  it('an article type anywhere wins over list types', () => {
    expect(looksLikeFrontPage(withTypes(['itemlist', 'newsarticle']))).toBe(false);
    expect(looksLikeFrontPage(withTypes(['article', 'collectionpage']))).toBe(false);
    expect(looksLikeFrontPage(withTypes(['blogposting', 'itemlist']))).toBe(false);
  });

  it('pages that declare nothing, or only a website, are left to the length check', () => {
    expect(looksLikeFrontPage(withTypes([]))).toBe(false);
    expect(looksLikeFrontPage(withTypes(['website']))).toBe(false);
    expect(looksLikeFrontPage(withTypes(['webpage']))).toBe(false);
  });
});

describe('declaresArticle', () => {
  it('reads og:type and schema.org article-like types', () => {
    expect(declaresArticle(withTypes(['article']))).toBe(true);
    expect(declaresArticle(withTypes(['website', 'newsarticle']))).toBe(true);
    expect(declaresArticle(withTypes(['blogposting']))).toBe(true);
    expect(declaresArticle(withTypes(['website', 'webpage']))).toBe(false);
    expect(declaresArticle(withTypes([]))).toBe(false);
  });
});
