import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { isHardWrapped, splitDump } from '../../../src/stages/text/blocks.js';

const opts = defaultConfig().normalize;
const texts = (dump: string): string[] => splitDump(dump, opts).lines.map((l) => l.text);

describe('splitDump', () => {
  it('makes each non-blank line a paragraph, blank lines or not', () => {
    expect(texts('One line.\nTwo line.\n\n\nThree line.')).toEqual(['One line.', 'Two line.', 'Three line.']);
    expect(splitDump('a\n\n b \n', opts).linesIn).toBe(2);
  });

  it('reads CRLF and collapses odd spacing', () => {
    expect(texts('First\u00A0 line.\r\nSecond\tline.\r\n')).toEqual(['First line.', 'Second line.']);
  });

  it('turns bullets into list items without the bullet', () => {
    const { lines } = splitDump('  • كأس العالم\n- Sport\n* Weather\n-5 degrees overnight.', opts);
    expect(lines).toEqual([
      { text: 'كأس العالم', kind: 'li' },
      { text: 'Sport', kind: 'li' },
      { text: 'Weather', kind: 'li' },
      { text: '-5 degrees overnight.', kind: 'p' },
    ]);
  });

  it('joins a hard-wrapped paragraph back into one line', () => {
    const wrapped = [
      'The council met on Tuesday evening to discuss the plan for a',
      'second bridge over the river. Members argued for three hours',
      'before the vote was taken.',
    ].join('\n');
    expect(texts(`${wrapped}\n\nNext paragraph.`)).toEqual([
      'The council met on Tuesday evening to discuss the plan for a second bridge over the river. Members argued for three hours before the vote was taken.',
      'Next paragraph.',
    ]);
  });
});

describe('isHardWrapped', () => {
  it('does not join a list of headlines of similar width', () => {
    expect(isHardWrapped(['Harbour Road closed for resurfacing next week', 'Ferry timetable changes from April onwards', 'Town oldest bakery celebrates 150 years'])).toBe(false);
  });

  it('does not join long one-line paragraphs', () => {
    const p = 'A long paragraph that is written on one single line because the scraper kept the text as it was shown on the page, without wrapping.';
    expect(isHardWrapped([p, p])).toBe(false);
  });

  it('handles a group of 200,000 lines (no argument spread)', () => {
    expect(isHardWrapped(Array.from({ length: 200_000 }, () => 'Menu item'))).toBe(false);
  });

  it('does not join lines broken before the width is reached', () => {
    // Near-equal widths, but "second" would have fitted on the first line: not a wrap.
    const rest = ['second bridge over the river. Members argued for hours', 'before the vote.'];
    expect(isHardWrapped(['The council met on Tuesday evening. It talked', ...rest])).toBe(false);
    expect(isHardWrapped(['The council met on Tuesday evening. It discussed a', ...rest])).toBe(true);
  });

  it('does not join lines that each end a sentence', () => {
    expect(isHardWrapped(['The first sentence of this paragraph is here now.', 'The second sentence of this paragraph is here.'])).toBe(false);
  });
});
