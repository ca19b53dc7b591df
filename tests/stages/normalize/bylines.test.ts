import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bylineLines, loadBylineRules, nameLines, readBylines, splitDateline } from '../../../src/stages/normalize/bylines.js';
import { loadMetadataLineRules } from '../../../src/stages/normalize/metadata-lines.js';
import type { TextBlock } from '../../../src/shared/types.js';

const metaLines = loadMetadataLineRules();
const read = (sources: Parameters<typeof readBylines>[0], site: string | null = 'The Harbor Ledger') =>
  readBylines(sources, [site], undefined, metaLines.dateWords);

describe('readBylines: prefixes, dates, job titles', () => {
  it.each([
    ['By Jane Roe', ['Jane Roe']],
    ['كتب: هشام النوري', ['هشام النوري']],
    ['كتبت - سارة المثالية', ['سارة المثالية']],
    ['بقلم محمد علي', ['محمد علي']],
    ['Par Jean Dupont', ['Jean Dupont']],
    ['By Nathan Wills March 25, 2015', ['Nathan Wills']],
    ['By Lucas Nolte22 Dec 2016651', ['Lucas Nolte']],
    ['Jane Roe · May 2, 2024 · 4 min read', ['Jane Roe']],
    ['By Carol Jennings, Gazette Staff Writer', ['Carol Jennings']],
    ['مراسل الشرق: أحمد علي', []],
    // A job title beside the name, or as a label before it.
    ['신현주 기자', ['신현주']],
    ['김하늘 특파원', ['김하늘']],
    ['사진기자', ['사진기자']], // one word, a photographer: not cut to 사진
    ['기자', []],
    ['山田太郎記者', ['山田太郎']],
    ['记者张伟', ['张伟']],
    ['Correspondent: Dana Whitfield', ['Dana Whitfield']],
    ['المراسل: سامي العلي', ['سامي العلي']],
    ['خبرنگار: علی رضایی', ['علی رضایی']],
    ['علی رضایی، خبرنگار', ['علی رضایی']],
    ['By', []],
    ['Geschrieben von Jana Roth', ['Jana Roth']],
    // Markup that glued the prefix to the name.
    ['Geschrieben vonJana Roth', ['Jana Roth']],
    ['AuthorJane Roe', ['Jane Roe']],
    ['Byron Katz', ['Byron Katz']],
    ['Article by', []],
  ])('%s', (raw, authors) => {
    expect(read({ declared: [raw] }).authors).toEqual(authors);
  });
});

describe('readBylines: agencies go to source_agency, and to authors only as a credit', () => {
  it.each([
    [['Reuters'], ['Reuters'], 'Reuters'],
    [['رويترز'], ['رويترز'], 'Reuters'],
    [['أ.ف.ب'], ['أ.ف.ب'], 'AFP'],
    [['(أ ف ب)'], ['أ ف ب'], 'AFP'],
    [['وكالات'], ['وكالات'], 'Agencies'],
    [['كتب: أحمد علي - وكالات'], ['أحمد علي'], 'Agencies'],
    [['Jane Roe, The Associated Press'], ['Jane Roe'], 'AP'],
    // A whole entry of the declared list beside a person is a co-author.
    [['Jane Roe', 'The Associated Press'], ['Jane Roe', 'The Associated Press'], 'AP'],
    [['أحمد علي', 'وكالات'], ['أحمد علي', 'وكالات'], 'Agencies'],
    [['AFP/Reuters'], ['AFP/Reuters'], 'AFP'],
    [['By Jane Roe (dpa)'], ['Jane Roe'], 'dpa'],
    [['الأناضول'], ['الأناضول'], 'Anadolu'],
    [['قنا'], ['قنا'], 'QNA'],
    [['Jane Roe'], ['Jane Roe'], null],
    // Short aliases only match a whole byline part.
    [['Apu Patel'], ['Apu Patel'], null],
  ])('%j', (declared, authors, agency) => {
    expect(read({ declared })).toEqual({ authors, sourceAgency: agency });
  });

  it.each([
    [['وكالات'], ['وكالات'], 'Agencies'],
    [['Reuters, AFP'], ['Reuters', 'AFP'], 'Reuters'],
    [['الجزيرة نت'], [], null],
  ])('a source credit %j names an agency, an author only where no one else is credited', (credits, authors, agency) => {
    expect(read({ declared: [], credits })).toEqual({ authors, sourceAgency: agency });
    expect(read({ declared: ['Jane Roe'], credits }).authors).toEqual(['Jane Roe']);
  });

  it.each([
    ['WASHINGTON (Reuters) - Lawmakers agreed on Tuesday to a budget deal.', 'Reuters'],
    ['بيروت (أ ف ب) - أعلنت الحكومة اليوم عن خطة جديدة.', 'AFP'],
    ['القاهرة - (د ب أ): قالت الوزارة إن الأسعار ستبقى ثابتة.', 'dpa'],
    ['(AP) — The storm reached the coast overnight.', 'AP'],
    ['The mayor (who spoke to Reuters) said the plan would change.', null],
    ['LONDON (Jane Roe) - A story with a name in brackets.', null],
    ['عمان --(بترا)-- أعلنت الوزارة اليوم عن خطة جديدة.', 'Petra'],
    ['BERLIN, 3. Mai (dpa) – Die Regierung hat am Dienstag beschlossen.', 'dpa'],
  ])('dateline: %s', (lead, agency) => {
    expect(read({ declared: ['Jane Roe'], lead: [lead] }).sourceAgency).toBe(agency);
  });

  it.each([
    ['WASHINGTON (Reuters) - Lawmakers agreed on Tuesday to a budget deal.', 'Reuters', 'Lawmakers agreed on Tuesday to a budget deal.'],
    ['عمان --(بترا)-- أعلنت الوزارة اليوم عن خطة جديدة.', 'Petra', 'أعلنت الوزارة اليوم عن خطة جديدة.'],
    ['BERLIN (dpa) – Die Regierung hat beschlossen.', 'dpa', 'Die Regierung hat beschlossen.'],
    ['KATHMANDU, April 25 (Reuters) - Nepal disputed the report.', 'Reuters', 'Nepal disputed the report.'],
  ])('splitDateline: %s', (text, agency, rest) => {
    expect(splitDateline(text)).toEqual({ agency, rest });
  });

  it.each([
    'The mayor (who spoke to Reuters) said the plan would change.',
    'LONDON (Jane Roe) - A story with a name in brackets.',
    'WASHINGTON (Reuters) -',
    'A long opening sentence with many words before (Reuters) - text.',
  ])('splitDateline leaves %s alone', (text) => {
    expect(splitDateline(text)).toBeNull();
  });
});

describe('readBylines: sources in order of trust', () => {
  it('takes declared authors first, byline elements next, byline lines last', () => {
    expect(read({ declared: ['Ann Lee'], elements: ['By Bo Park'], lines: ['By Cy Dunn'] }).authors).toEqual(['Ann Lee']);
    expect(read({ declared: [], elements: ['By Bo Park'], lines: ['By Cy Dunn'] }).authors).toEqual(['Bo Park']);
    expect(read({ declared: [], elements: [], lines: ['By Cy Dunn'] }).authors).toEqual(['Cy Dunn']);
  });

  it('falls through when declared authors are only the site or an agency, still reporting the agency', () => {
    expect(read({ declared: ['The Harbor Ledger'], elements: ['By Bo Park'] }).authors).toEqual(['Bo Park']);
    expect(read({ declared: ['AFP'], elements: ['Par Léa Petit'] })).toEqual({ authors: ['Léa Petit'], sourceAgency: 'AFP' });
  });

  it('reads only the first byline element that names someone, and wants full names from page text', () => {
    expect(read({ declared: [], elements: ['12 May 2024', 'By Bo Park', 'By Other Story Writer'] }).authors).toEqual(['Bo Park']);
    expect(read({ declared: [], elements: ['By Erin Cole, CAIRO'] }).authors).toEqual(['Erin Cole']);
    expect(read({ declared: [], elements: ['Follow us on social media today. Really.'] }).authors).toEqual([]);
    expect(read({ declared: ['jroe'] }).authors).toEqual(['jroe']);
  });
});

describe('readBylines: credits when the page names no person', () => {
  it('credits the declared site or desk, as written, only when no byline names a person', () => {
    expect(read({ declared: ['The Harbor Ledger'] }).authors).toEqual(['The Harbor Ledger']);
    expect(read({ declared: ['صحيفة المرفأ'] }, 'صحيفة المرفأ').authors).toEqual(['صحيفة المرفأ']);
    expect(read({ declared: ['Harbor Ledger staff reporter'] }).authors).toEqual(['Harbor Ledger staff reporter']);
    // A bare job title credits no one.
    expect(read({ declared: ['Redaktion'] }).authors).toEqual([]);
    expect(read({ declared: ['admin'] }).authors).toEqual([]);
    expect(read({ declared: ['No Author'] }).authors).toEqual([]);
    expect(read({ declared: ['The Harbor Ledger'], elements: ['By Bo Park'] }).authors).toEqual(['Bo Park']);
    expect(read({ declared: ['Jane Roe', 'The Harbor Ledger'] }).authors).toEqual(['Jane Roe']);
  });

  it('takes the first byline element that credits a person or an agency', () => {
    expect(read({ declared: ['dpa'], elements: ['dpa', 'Von Bo Park'] }).authors).toEqual(['dpa']);
    expect(read({ declared: [], elements: ['(AFP)', 'By Bo Park'] })).toEqual({ authors: ['AFP'], sourceAgency: 'AFP' });
    expect(read({ declared: ['The Harbor Ledger'], elements: ['وكالات'] }).authors).toEqual(['وكالات']);
    // A person in a byline line wins over an agency in a byline element.
    expect(read({ declared: ['AFP'], elements: ['AFP'], lines: ['Par Jean Roux'] })).toEqual({ authors: ['Jean Roux'], sourceAgency: 'AFP' });
    expect(read({ declared: [], elements: ['(أ ف ب)'], lines: ['كتب: أحمد علي'] })).toEqual({ authors: ['أحمد علي'], sourceAgency: 'AFP' });
  });

  it('keeps a credit that joins the site and an agency whole', () => {
    expect(read({ declared: ['The Harbor Ledger and AFP'] }).authors).toEqual(['The Harbor Ledger and AFP']);
  });
});

describe('readBylines: text glued by markup, credit lines', () => {
  it.each([
    ['Jeff FoustMonday, May 6, 2024', ['Jeff Foust']],
    ['By Emma MackenzieLifestyle Writer14:00, 28 Apr 2024|comments', ['Emma Mackenzie']],
    ['Christian AugustusMagnus Larsen', ['Christian Augustus', 'Magnus Larsen']],
    ['By Ronald McDonald', ['Ronald McDonald']],
    ['By Keira MacKenzie', ['Keira MacKenzie']],
    ['View all posts by Dana Kerr', ['Dana Kerr']],
    ['Published by', []],
  ])('byline element %s', (element, authors) => {
    expect(read({ declared: [], elements: [element] }).authors).toEqual(authors);
  });

  it("leaves the site's own camel-case name whole", () => {
    expect(read({ declared: [], elements: ['By Adam Aaronson HarborLedger Staff', 'Adam Aaronson'] }, 'Harbor Ledger').authors).toEqual(['Adam Aaronson']);
  });

  it.each([
    ['Mit Material von dpa', 'dpa', 'dpa'],
    ['With additional reporting from Reuters', 'Reuters', 'Reuters'],
    ['المصدر: وكالات', 'وكالات', 'Agencies'],
    ['Source: AFP', 'AFP', 'AFP'],
  ])('credit line %s: the agency, as written, when no person is credited', (line, author, agency) => {
    expect(read({ declared: [], elements: [line] })).toEqual({ authors: [author], sourceAgency: agency });
    expect(read({ declared: ['Jane Roe'], elements: [line] })).toEqual({ authors: ['Jane Roe'], sourceAgency: agency });
  });
});

describe('readBylines: a declared name qualified by the site address', () => {
  it('is the site, so a byline naming a person wins', () => {
    expect(read({ declared: ['Harbor Ledger (www.harbor.example)'], elements: ['Author Dana Kerr'] }, 'harbor.example').authors).toEqual(['Dana Kerr']);
    expect(read({ declared: ['صحيفة المرفأ (www.almarfa.example)'], elements: ['الكاتب نور الخطيب'] }, 'almarfa.example').authors).toEqual(['نور الخطيب']);
    expect(read({ declared: ['Harbor Ledger (www.harbor.example)'] }, 'harbor.example').authors).toEqual(['Harbor Ledger']);
    // Another address is no qualifier: the name stays a person.
    expect(read({ declared: ['Bradley Kuhn (http://kuhn.example/)'] }, 'harbor.example').authors).toEqual(['Bradley Kuhn']);
  });
});

describe('readBylines: metadata that names the editor', () => {
  it('takes the byline when every declared person is labelled editor on the page', () => {
    expect(read({ declared: ['Rina Hart'], elements: ['Bo Park', 'Editor: Rina Hart'] }).authors).toEqual(['Bo Park']);
    expect(read({ declared: ['ليلى حداد'], elements: ['سامر يوسف', 'تحرير: ليلى حداد'] }).authors).toEqual(['سامر يوسف']);
  });

  it('keeps the declared author when the page labels someone else editor, or names no writer', () => {
    expect(read({ declared: ['Rina Hart'], elements: ['Bo Park', 'Editor: Cy Dunn'] }).authors).toEqual(['Rina Hart']);
    expect(read({ declared: ['Rina Hart'], elements: ['Editor: Rina Hart'] }).authors).toEqual(['Rina Hart']);
  });
});

describe('readBylines: what is never a name', () => {
  it.each([
    [['Twitter Facebook'], []],
    [['Themen bearbeiten'], []],
    [['تابع الكاتب', 'By Bo Park'], ['Bo Park']],
    [['この記事の筆者 松岡一郎 フォロー すべて見る', '松岡一郎'], ['松岡一郎']],
    [['(Image: Getty Images)'], []],
    [['jane.roe@example.com'], []],
  ])('byline elements %j', (elements, authors) => {
    expect(read({ declared: ['The Harbor Ledger'], elements }).authors).toEqual(authors.length ? authors : ['The Harbor Ledger']);
  });

  it('drops picture credits and controls from declared authors', () => {
    expect(read({ declared: ['Jane Roe', '(Image: Getty Images/iStockphoto)', 'Follow'] }).authors).toEqual(['Jane Roe']);
  });

  it('reads a one-token CJK name from page text, not a Latin single word', () => {
    expect(read({ declared: [], elements: ['김민수'] }).authors).toEqual(['김민수']);
    expect(read({ declared: [], elements: ['CAIRO'] }).authors).toEqual([]);
  });

  it('splits "A and B, Place" when a full name stands beside the single word; "Roe, Jane" stays whole', () => {
    expect(read({ declared: ['Anna Berg und Lea Roth, Kampala'] }).authors).toEqual(['Anna Berg', 'Lea Roth', 'Kampala']);
    expect(read({ declared: ['أحمد علي و سامي حسن، القاهرة'] }).authors).toEqual(['أحمد علي', 'سامي حسن', 'القاهرة']);
    expect(read({ declared: ['Roe, Jane'] }).authors).toEqual(['Roe, Jane']);
    expect(read({ declared: ['Harbor Verlag GmbH, Nürnberg, Germany'] }).authors).toEqual(['Harbor Verlag GmbH, Nürnberg, Germany']);
    expect(read({ declared: ['Landesanstalt für Wald und Forstwirtschaft, LWF'] }).authors).toEqual(['Landesanstalt für Wald und Forstwirtschaft, LWF']);
  });
});

describe('bylineLines', () => {
  const blocks = (...texts: string[]): TextBlock[] => texts.map((text) => ({ kind: 'p', text }));
  it('finds short byline-like blocks near the top', () => {
    expect(bylineLines(blocks('كتب: هشام النوري', 'By the end of 2004 the bridge was closed to all traffic for good.', 'By Jane Roe'), metaLines)).toEqual([
      'كتب: هشام النوري',
      'By Jane Roe',
    ]);
    expect(bylineLines(blocks('By Jane Roe'), undefined)).toEqual([]);
  });
});

describe('nameLines: a name standing alone atop the story', () => {
  const blocks = (...texts: string[]): TextBlock[] => texts.map((text) => ({ kind: 'p', text }));
  it('finds the first block near the top that is only names', () => {
    expect(nameLines(blocks('A long lede sentence about the harbour, the ferry and the island.', 'Mara Okafor', 'Tom Lund'))).toEqual(['Mara Okafor']);
    expect(nameLines(blocks('JANE ROE/TOM LUND', 'Story text.'))).toEqual(['JANE ROE/TOM LUND']);
    expect(nameLines(blocks('نور الخطيب', 'نص الخبر.'))).toEqual(['نور الخطيب']);
  });
  it('skips sentences, dates, lower-case words, single words and headings', () => {
    expect(nameLines(blocks('Ferry returns on Monday.', 'Updated 3 June', 'the harbour office', 'Harbour'))).toEqual([]);
    expect(nameLines([{ kind: 'heading', text: 'Mara Okafor' }])).toEqual([]);
    expect(nameLines(blocks('One', 'Two', 'Three', 'Four', 'Mara Okafor'))).toEqual([]);
  });
  it('is the writer only when metadata credits the site, and not when it names the brand again', () => {
    expect(read({ declared: ['The Harbor Ledger'], nameLines: ['Mara Okafor/Tom Lund'] }).authors).toEqual(['Mara Okafor', 'Tom Lund']);
    expect(read({ declared: [], nameLines: ['Mara Okafor'] }).authors).toEqual([]);
    expect(read({ declared: ['Jane Roe'], nameLines: ['Mara Okafor'] }).authors).toEqual(['Jane Roe']);
    expect(read({ declared: ['The Harbor Ledger'], nameLines: ['Harbor Ledger Digital'] }).authors).toEqual(['The Harbor Ledger']);
  });
});

describe('readBylines: a byline box of two writers where metadata names one', () => {
  it('takes every name of a box whose text is just its author elements', () => {
    expect(read({ declared: ['Tom Lund'], elements: ['Mara Okafor Tom Lund', 'Mara Okafor', 'Tom Lund'] }).authors).toEqual(['Mara Okafor', 'Tom Lund']);
    expect(read({ declared: ['سامي العلي'], elements: ['نور الخطيب سامي العلي', 'نور الخطيب', 'سامي العلي'] }).authors).toEqual(['نور الخطيب', 'سامي العلي']);
  });
  it('leaves the declared author alone when author elements are separate (other stories) or the box holds more', () => {
    expect(read({ declared: ['Tom Lund'], elements: ['von Mara Okafor', 'von Ida Berg', 'von Tom Lund'] }).authors).toEqual(['Tom Lund']);
    expect(read({ declared: ['Tom Lund'], elements: ['Mara Okafor Tom Lund 3 June 2024', 'Mara Okafor', 'Tom Lund'] }).authors).toEqual(['Tom Lund']);
    expect(read({ declared: ['Jane Roe'], elements: ['Mara Okafor Tom Lund', 'Mara Okafor', 'Tom Lund'] }).authors).toEqual(['Jane Roe']);
  });
});

describe('loadBylineRules', () => {
  it('validates the file and folds aliases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bylines-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ agencies: [{ name: 'Wire', aliases: ['وكالة الخبر'] }], roleWords: ['Staff'] }));
    const rules = loadBylineRules(good);
    expect(rules.agencies.get('وكاله الخبر')).toBe('Wire');
    expect(rules.roleWords).toEqual(['staff']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ agencies: [{ name: 'Wire', aliases: [] }], roleWords: [] }));
    expect(() => loadBylineRules(bad)).toThrow();
  });
});
