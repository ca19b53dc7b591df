import { describe, expect, it } from 'vitest';
import { boxedCoAuthors, nameLines, siteCreditedWriter } from '../../../src/stages/normalize/co-authors.js';
import type { Credits } from '../../../src/stages/normalize/bylines.js';

/** A stand-in for the byline parser: each raw text is one person, "von " dropped. */
const group = (raws: readonly string[]): Credits => ({ people: raws.map((r) => r.replace(/^von /, '')), agencies: [], organisations: [], agency: null });

describe('boxedCoAuthors', () => {
  it('returns the names of a box made of its author elements, when they include every declared person', () => {
    expect(boxedCoAuthors(['Tom Lund'], ['Mara Okafor Tom Lund', 'Mara Okafor', 'Tom Lund'], group)).toEqual(['Mara Okafor', 'Tom Lund']);
  });
  it('is null without such a box, or when the box leaves a declared person out', () => {
    expect(boxedCoAuthors(['Tom Lund'], ['von Mara Okafor', 'von Tom Lund'], group)).toBeNull();
    expect(boxedCoAuthors(['Jane Roe'], ['Mara Okafor Tom Lund', 'Mara Okafor', 'Tom Lund'], group)).toBeNull();
  });
});

describe('siteCreditedWriter', () => {
  it('keeps names that share no word with the credited site', () => {
    expect(siteCreditedWriter(['Harbor Ledger'], ['Mara Okafor'])).toEqual(['Mara Okafor']);
    expect(siteCreditedWriter(['Harbor Ledger'], ['Harbor Ledger Digital'])).toBeNull();
    expect(siteCreditedWriter(['صحيفة المرفأ'], ['نور الخطيب'])).toEqual(['نور الخطيب']);
  });
});

describe('nameLines', () => {
  it('takes the first paragraph near the top that is only names', () => {
    expect(nameLines([{ kind: 'p', text: 'Mara Okafor & Tom Lund' }])).toEqual(['Mara Okafor & Tom Lund']);
    expect(nameLines([{ kind: 'p', text: 'Ferry returns, the mayor says' }])).toEqual([]);
  });
});
