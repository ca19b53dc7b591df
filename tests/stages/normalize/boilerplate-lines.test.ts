import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import { compilePhraseRules, isBoilerplateLine, loadPhraseRules } from '../../../src/stages/normalize/boilerplate-lines.js';
import { foldForMatching } from '../../../src/stages/normalize/arabic-fold.js';

const rules = loadPhraseRules();

describe('isBoilerplateLine with the bundled phrases', () => {
  it.each([
    'اقرأ أيضا',
    'إقرأ أيضاً:',
    'اقْرَأْ أَيْضًا: وزير النقل يفتتح محطة جديدة في المدينة',
    '» اقرأ ايضاً عشرة أسئلة عن موسم الحصاد',
    'مقالات ذات صلة',
    'أخبار ذات صلة:',
    'قد يهمك أيضاً',
    'شاهد أيضا: لقطات من حفل الافتتاح',
    'اترك تعليقاً',
    'التعليقات (٣)',
    'البريد الإلكتروني *',
    'زر الذهاب إلى الأعلى',
    'شارك',
    'شارك هذا المقال',
    'تابعونا على فيسبوك وتويتر',
    'الأكثر قراءة',
    'الوسوم: اقتصاد، زراعة، طقس',
    '© ٢٠٢٤ جميع الحقوق محفوظة',
    'جميع الحقوق محفوظة لموقع المثال الإخباري',
    'إعلان',
    'المصدر',
    'Read more',
    'READ ALSO: Ten facts about the harvest season',
    'Share this',
    'Share on Facebook',
    'Comments (12)',
    '2024 Comments 12 345 6789 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30',
    'Leave a Reply',
    'Advertisement',
    'Back to top ↑',
    '© 2024 Example Daily. All rights reserved.',
    'We use cookies to give you the best experience on our website.',
    'Tags: economy, farming, weather',
    '• Related: Harvest festival draws record crowds',
    'Click here to subscribe',
    'À lire aussi : la saison des vendanges',
    'Lesen Sie auch: Die Ernte im Herbst',
    'Lee también: La cosecha del año',
    'Ähnliche Beiträge',
    'Das könnte Sie auch interessieren:',
    'Zobacz także',
    'Veja também: a colheita do ano',
    'Leggi anche',
    '4 Min Read',
    'Lesezeit: 6 Minuten',
    'To view the full story, please subscribe to the Valley Courier.',
    'Already a subscriber? Log in here.',
    'Hazte miembro y disfruta de beneficios exclusivos',
    'Foto: Ingo Pertramer',
    'Please enable JavaScript to view the comments.',
  ])('drops %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(true);
  });

  it.each([
    'Farmers share their water with neighbours during the dry months, the report said.',
    'Share prices rose on Tuesday.',
    'Related to this, police arrested two suspects on Monday.',
    'Tags were attached to every tree in the orchard.',
    'Subscribers to the water scheme will pay less from June, the council said.',
    'The photo shows the harvest in full swing.',
    'شارك في الاجتماع وزراء الزراعة من عشر دول.',
    'المصدر الرئيسي للمياه في القرية هو البئر القديمة التي حفرها الأجداد.',
    'قال المسؤول إن التعليقات التي وصلت إلى الوزارة كانت إيجابية في مجملها.',
    'اقرأ أيضا ' + 'كلمة '.repeat(20) + 'في نهاية فقرة طويلة لا تبدو كرابط مقال آخر.',
    'Read more books, the minister told students, because reading opens doors that nothing else can open for you.',
    '***',
    '',
  ])('keeps %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(false);
  });

  it.each(['00:00', '0:00 / 3:42', '1:02:03', '| | |', '|', ' • | • ', 'Permalink https://example.com/p/4QgGF', 'Watch video', 'Average rating: 4.5', 'الرابط المختصر: https://example.com/p/1', 'شاهد الفيديو', 'Durchschnittliche Bewertung: 0,0', 'シェア', 'すべて見る'])(
    'drops widget residue %s',
    (line) => {
      expect(isBoilerplateLine(line, rules)).toBe(true);
    },
  );

  it.each(['The meeting began at 10:30 on Monday.', '2024', '3 | 4 goals in the first half, and the coach was pleased with the result.', '記事をシェアする読者が増えている。'])('keeps %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(false);
  });

  // Invented lines in the shape of support prompts, disclaimers and comment notices that stay inside bodies.
  it.each([
    'If you enjoyed reading this story, would you consider supporting our newsroom?',
    'This post contains affiliate links. We may earn a commission when you buy through them.',
    'Sie müssen sich anmelden, um Kommentare zu schreiben.',
    'Dieser Beitrag gibt die Meinung der Autorin wieder, nicht die der Redaktion.',
    '(Alle Angaben ohne Gewähr)',
    'Möchten Sie den Artikel teilen?',
    'Kontakt',
    "Les opinions exprimées dans cette tribune n'engagent que leurs auteurs.",
    'Nos siga no',
    'Zapraszamy do subskrypcji naszego tygodnika.',
  ])('drops the prompt or notice %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(true);
  });

  it.each([
    'Kontaktpersonen müssen zehn Tage in Quarantäne, teilte das Gesundheitsamt mit.',
    'If you enjoyed the concert, the band said, you will love the new album, which comes out in May after two years of recording in a barn outside town.',
    'Die Angaben der Polizei seien ohne Gewähr, sagte der Sprecher am Montag.',
  ])('keeps the story line %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(false);
  });

  it.each([
    'Warning: Creating default object from empty value in /var/www/example/wp-includes/functions.php on line 112',
    'Notice: Undefined index: id in /srv/site/index.php on line 9',
    'Jahresbericht 2023PDF | 1,2 MB | Datei ist nicht barrierefrei',
    'Annual report (PDF, 540 KB)',
    'SUGGESTED CITATION Roe, Jane: The Harbour Question, Example Blog, 2021/3/01',
    'Telefon: +49 30 1234 5678',
    'ANZEIGE - Heute schon etwas vor? Wie wäre es mit:',
    '*Werbung. Dieser Beitrag enthält Werbung für eine Schuhmarke.',
    'Let us know in the comments what you think.',
    'Empfohlener redaktioneller Inhalt',
    'Fehler gefunden?Jetzt melden.',
    'Sign In or Create an Account',
    "We apologize, but this video has failed to load.",
    'Hinweis zu Affiliate-Links: Alle Produkte werden unabhängig ausgewählt.',
    'REKLAM',
    '—Associated Press writer Jane Roe in Lisbon contributed to this report.',
    'Etiketler : ekonomi, enerji',
    '<Copyright ⓒ 예시일보. All rights reserved. 무단 전재 및 재배포 금지>',
    'An dieser Stelle findest du einen externen Inhalt von Vimeo, der den Artikel ergänzt.',
    'Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden.',
  ])('drops the residue, credit or prompt %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(true);
  });

  it.each([
    'The warning came in a letter on Monday, and the council answered within a week.',
    'The 40 MB file was later found on a laptop in the office, police said on Tuesday, and the company apologised to the customers whose data had been stored in it.',
    'Die Anzeige wurde am Montag bei der Polizei erstattet, sagte ein Sprecher.',
  ])('keeps the story line %s', (line) => {
    expect(isBoilerplateLine(line, rules)).toBe(false);
  });

  it('gives the same answer with the folded text passed in', () => {
    for (const line of ['اقرأ أيضا', 'Tags: economy', 'Comments (12)', 'Share prices rose on Tuesday.', 'Tags were attached.']) {
      expect(isBoilerplateLine(line, rules, foldForMatching(line))).toBe(isBoilerplateLine(line, rules));
    }
  });
});

describe('compilePhraseRules', () => {
  it('applies line, prefix and suffix phrases of any language', () => {
    const r = compilePhraseRules({ xx: { line: ['Foo Bar'], prefix: ['Baz'], suffix: ['the end'] } });
    expect(isBoilerplateLine('foo bar!', r)).toBe(true);
    expect(isBoilerplateLine('foo bar baz', r)).toBe(false);
    expect(isBoilerplateLine('Baz: one two', r)).toBe(true);
    expect(isBoilerplateLine('Once more, the end', r)).toBe(true);
  });

  it('a prefix ending in ":" needs a separator in the original text', () => {
    const r = compilePhraseRules({ xx: { line: [], prefix: ['Note:'] } });
    expect(isBoilerplateLine('Note: see the annex', r)).toBe(true);
    expect(isBoilerplateLine('Note — see the annex', r)).toBe(true);
    expect(isBoilerplateLine('Note the annex', r)).toBe(false);
  });

  it('rejects an invalid file with CONFIG_INVALID', () => {
    expect(() => compilePhraseRules({ ar: { line: 'x' } })).toThrow(NewscleanError);
    expect(() => loadPhraseRules('/nonexistent/phrases.json')).toThrow(/nonexistent/);
  });
});
