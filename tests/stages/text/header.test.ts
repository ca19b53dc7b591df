import { describe, expect, it } from 'vitest';
import { loadMetadataLineRules } from '../../../src/stages/normalize/metadata-lines.js';
import { dateText, findTitle, headerCredit, isByline } from '../../../src/stages/text/header.js';
import { toLine } from '../../../src/stages/text/lines.js';
import { loadTextRules } from '../../../src/stages/text/rules.js';

const rules = loadTextRules();
const meta = loadMetadataLineRules();
const line = (text: string) => toLine({ text, kind: 'p' });
const PROSE = 'The council voted on Tuesday to build a second bridge over the river.';

/** Title index for lines whose body starts at the first PROSE line. */
function title(texts: string[], known: number[] = []): string | null {
  const lines = texts.map(line);
  const start = texts.indexOf(PROSE);
  const i = findTitle(lines, texts.map((_, k) => known.includes(k)), { start, end: texts.length - 1, chars: 0 }, rules);
  return i === null ? null : texts[i]!;
}

describe('findTitle', () => {
  it('takes the heading-like line just above the body, past bylines', () => {
    expect(title(['Home', 'Council approves second river bridge', 'By Jane Doe', PROSE, PROSE], [2])).toBe('Council approves second river bridge');
  });

  it('prefers the line the body repeats', () => {
    const t = 'التحالف يسمح بمغادرة المدينة بغطاء من المدنيين';
    expect(title(['خطة جديدة للتسوية في المنطقة', t, 'فيديوهات الذكاء الاصطناعي', PROSE, t, PROSE])).toBe(t);
  });

  it('does not take the last item of a long menu', () => {
    expect(title(['World', 'Business', 'Sport', 'Culture', 'Science and technology', PROSE])).toBeNull();
  });

  it('takes a line that stands out from the menu above it', () => {
    expect(title(['World', 'Business', 'Sport', 'Culture', 'Council approves second river bridge after heated debate', PROSE])).toBe(
      'Council approves second river bridge after heated debate',
    );
  });

  it('never takes a sentence, a short label or a far line', () => {
    expect(title(['A sentence that ends here.', PROSE])).toBeNull();
    expect(title(['Local news', PROSE])).toBeNull();
    expect(title(['Council approves second river bridge', 'x', 'y', 'z', 'w', PROSE])).toBeNull();
  });
});

describe('header lines', () => {
  it('reads the credited name of a segmented header line', () => {
    expect(headerCredit(line('أخبار اليوم | عمّان – الأردن – (ريم العلي)'))).toBe('ريم العلي');
    expect(headerCredit(line('Daily Post | Leeds – UK'))).toBeNull();
    expect(headerCredit(line('Council approves bridge | Daily Post'))).toBeUndefined();
  });

  it('tells bylines from sentences', () => {
    expect(isByline(line('By Jane Doe'), meta)).toBe(true);
    expect(isByline(line('كتب: سامي الحداد'), meta)).toBe(true);
    expect(isByline(line('By the time we arrived it was dark.'), meta)).toBe(false);
  });

  it('drops a date label before the date', () => {
    expect(dateText('Published: 12 March 2024')).toBe('12 March 2024');
    expect(dateText('12 March 2024, 09:30')).toBe('12 March 2024, 09:30');
  });
});
