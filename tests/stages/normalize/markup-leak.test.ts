import { describe, expect, it } from 'vitest';
import { isMarkupLeak, stripLeakedMarkup } from '../../../src/stages/normalize/markup-leak.js';

describe('leaked markup', () => {
  it.each([
    ['<p class="texto">The council met on Monday.', 'The council met on Monday.'],
    ['Read <a href="/x">the report</a> and <strong>decide</strong>.', 'Read the report and decide .'],
    ['<br/>Line after a break', 'Line after a break'],
  ])('%s is stripped to its words', (input, expected) => {
    expect(isMarkupLeak(input)).toBe(true);
    expect(stripLeakedMarkup(input)).toBe(expected);
  });

  it.each(['If a < b and c > d, then the rule holds.', 'Use the <tag> element once.', 'Prices rose 3% <in May>.'])('%s is prose', (text) => {
    expect(isMarkupLeak(text)).toBe(false);
  });
});
