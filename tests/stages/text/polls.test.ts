import { describe, expect, it } from 'vitest';
import { toLine } from '../../../src/stages/text/lines.js';
import { findPolls } from '../../../src/stages/text/polls.js';
import { loadTextRules } from '../../../src/stages/text/rules.js';

const rules = loadTextRules();
const polls = (texts: string[]): number[] => [...findPolls(texts.map((text) => toLine({ text, kind: 'p' })), rules)].sort((a, b) => a - b);
const PROSE = 'The council will decide on the plan next month, the mayor said.';

describe('findPolls', () => {
  it('finds label, question, options and vote lines, and stops at the story', () => {
    expect(polls([PROSE, 'Poll', 'Should the town build a bridge?', 'Yes', 'No', 'Not sure', 'Vote', 'View results', 'Next steps', PROSE])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('finds an Arabic poll with percentages', () => {
    expect(polls(['استطلاع رأي', 'هل تؤيد بناء الجسر الجديد؟', 'نعم ٦٢٪', 'لا ٣٠٪', 'لا أعرف ٨٪', PROSE])).toEqual([0, 1, 2, 3, 4]);
  });

  it('stays linear on a long stretch of short questions and answers', () => {
    const texts = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? `Is it ${i}?` : 'Yes'));
    expect(polls(texts)).toEqual([]);
  });

  it('leaves a question subheading followed by a list alone', () => {
    expect(polls([PROSE, 'What changes for commuters?', 'Earlier trains', 'A new bus lane', PROSE])).toEqual([]);
  });
});
