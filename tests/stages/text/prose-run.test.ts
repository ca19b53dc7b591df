import { describe, expect, it } from 'vitest';
import { type Role, findBody, proseRuns } from '../../../src/stages/text/prose-run.js';

const RULES = { maxGap: 2, maxGapBefore: 4, maxGapAfter: 6, mergeShare: 0.3 };
/** P prose (100 chars), p prose (20 chars), o other, n neutral. */
function parse(s: string): { roles: Role[]; chars: number[] } {
  const roles = [...s].map((c): Role => (c === 'P' || c === 'p' ? 'prose' : c === 'n' ? 'neutral' : 'other'));
  return { roles, chars: [...s].map((c) => (c === 'P' ? 100 : c === 'p' ? 20 : 10)) };
}
const body = (s: string) => {
  const { roles, chars } = parse(s);
  const b = findBody(roles, chars, RULES);
  return b && [b.start, b.end];
};

describe('proseRuns', () => {
  it('allows short gaps of other lines; neutral lines do not count', () => {
    const { roles, chars } = parse('ooPoPoooPnnnnP');
    expect(proseRuns(roles, chars, 2).map((r) => [r.start, r.end, r.chars])).toEqual([[2, 4, 200], [8, 13, 200]]);
  });
});

describe('findBody', () => {
  it('is null without prose', () => {
    expect(body('oooo')).toBeNull();
  });

  it('takes the densest run and leaves menus before and headlines after', () => {
    expect(body('oooooooPPPPPoooooooo')).toEqual([7, 11]);
  });

  it('joins a nearby small run, leaves a distant small one', () => {
    expect(body('poooPPPPPPP')).toEqual([0, 10]);
    expect(body('pooooooooPPPPPPP')).toEqual([9, 15]);
  });

  it('joins a large run however far (a body captured twice)', () => {
    expect(body('PPPPooooooooooPPPP')).toEqual([0, 17]);
  });
});
