import { describe, expect, it } from 'vitest';
import { boxedCoAuthors, nameLines, onlyNames, siteCreditedWriter } from '../../../src/stages/normalize/co-authors.js';
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

describe('onlyNames', () => {
  it('is true for a line of credited names and joiners', () => {
    expect(onlyNames('jane roe', ['jane roe'])).toBe(true);
    expect(onlyNames('jane roe/tom lund', ['jane roe', 'tom lund'])).toBe(true);
    expect(onlyNames('jane roe and tom lund', ['tom lund', 'jane roe'])).toBe(true);
    expect(onlyNames('سلمى الراشد و وليد السقا', ['سلمى الراشد', 'وليد السقا'])).toBe(true);
  });
  it('is false when any other word remains, or nothing credited is named', () => {
    expect(onlyNames('jane roe reports from the harbour', ['jane roe'])).toBe(false);
    expect(onlyNames('jane roe/tom lund', ['jane roe'])).toBe(false);
    expect(onlyNames('tom lund', ['jane roe'])).toBe(false);
    expect(onlyNames('', ['jane roe'])).toBe(false);
  });
});
