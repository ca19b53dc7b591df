import { describe, expect, it } from 'vitest';
import { dedupeBlocks } from '../../../src/stages/normalize/dedupe-blocks.js';
import { foldForMatching } from '../../../src/stages/normalize/arabic-fold.js';

const A = 'The river rose by two metres overnight after three days of heavy rain.';
const B = 'Residents of the lower town moved their cars and animals to higher ground.';
const C = 'The regional council said the bridge would stay closed until Friday morning.';
const D = 'Engineers will inspect the old stone arches once the water level falls again.';
const AR1 = 'افتتحت البلدية صباح اليوم سوقاً جديداً للمزارعين في الساحة القديمة وسط المدينة.';
const AR2 = 'وقال رئيس البلدية إن السوق سيفتح أبوابه ثلاثة أيام في الأسبوع طوال فصل الصيف.';

describe('dedupeBlocks', () => {
  it('leaves text without repeats unchanged', () => {
    expect(dedupeBlocks([A, B, C, D])).toEqual([A, B, C, D]);
    expect(dedupeBlocks([])).toEqual([]);
  });

  it('drops a long paragraph that occurs twice', () => {
    expect(dedupeBlocks([A, B, A, C])).toEqual([A, B, C]);
  });

  it('compares folded text (spacing, punctuation, diacritics)', () => {
    const variant = 'افْتَتَحَتْ البلدية صباح اليوم سوقاً جديداً للمزارعين  في الساحة القديمة وسط المدينة';
    expect(dedupeBlocks([AR1, AR2, variant])).toEqual([AR1, AR2]);
  });

  it('keeps short repeats such as separators and brief quotes', () => {
    expect(dedupeBlocks([A, '***', B, '***', C])).toEqual([A, '***', B, '***', C]);
    expect(dedupeBlocks([A, '"No."', B, '"No."'])).toEqual([A, '"No."', B, '"No."']);
  });

  it('drops a body captured twice, short paragraphs of the copy included', () => {
    const body = [A, 'Photo: archive', B, C];
    expect(dedupeBlocks([...body, ...body])).toEqual(body);
  });

  it('drops a second copy that is truncated at the end', () => {
    const cut = C.slice(0, 30);
    expect(dedupeBlocks([A, B, C, D, A, B, cut])).toEqual([A, B, C, D]);
  });

  it('drops a second copy when the first copy is glued to the title', () => {
    const title = 'Flood closes the old bridge';
    expect(dedupeBlocks([`${title} ${A}`, B, C, A, B, C])).toEqual([`${title} ${A}`, B, C]);
    expect(dedupeBlocks([`${title} ${AR1}`, AR2, AR1, AR2])).toEqual([`${title} ${AR1}`, AR2]);
  });

  it('keeps a real paragraph that follows a copied run', () => {
    const after = 'Fresh reporting added later is not part of any copy.';
    expect(dedupeBlocks([A, B, C, A, B, after])).toEqual([A, B, C, after]);
  });

  it('compares the folded keys it is given', () => {
    const paragraphs = [A, B, A.toUpperCase(), C];
    const folded = paragraphs.map(foldForMatching);
    expect(dedupeBlocks(paragraphs, folded)).toEqual(dedupeBlocks(paragraphs));
    expect(dedupeBlocks(paragraphs, folded)).toEqual([A, B, C]);
  });

  it('handles 100k paragraphs quickly', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `Paragraph number ${i} with a few words in it.`);
    const started = performance.now();
    const out = dedupeBlocks([...many.slice(0, 50_000), ...many.slice(0, 50_000)]);
    expect(out).toHaveLength(50_000);
    expect(dedupeBlocks(many)).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
