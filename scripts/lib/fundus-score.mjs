// Scoring of ../shared/datasets/fundus-dev as its README defines it:
//   body    the Article Extraction Benchmark's shingle measure (word 4-grams of
//           \w+ tokens, as Python's Unicode \w: letters, numbers, underscore),
//           precision averaged over pages with output, recall over all pages,
//           F1 of the two means;
//   title   exact match after NFKC and whitespace folding;
//   authors set F1 of NFKC, whitespace-folded, casefolded names, averaged over
//           pages whose gold has authors;
//   date    the same YYYY-MM-DD as gold, over pages whose gold has a date.

const fold = (s) => String(s ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim();

export function shingles(text) {
  const tokens = String(text ?? '').match(/[\p{L}\p{N}_]+/gu) ?? [];
  const grams = new Map();
  if (tokens.length === 0) return grams;
  const n = Math.min(4, tokens.length);
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Per page: {precision, recall, hasOutput}. */
export function bodyScore(output, gold) {
  const out = shingles(output);
  const ref = shingles(gold);
  const outN = [...out.values()].reduce((a, b) => a + b, 0);
  const refN = [...ref.values()].reduce((a, b) => a + b, 0);
  if (outN === 0 && refN === 0) return { precision: 1, recall: 1, hasOutput: true };
  let tp = 0;
  for (const [g, c] of out) tp += Math.min(c, ref.get(g) ?? 0);
  return { precision: outN ? tp / outN : 0, recall: refN ? tp / refN : 0, hasOutput: outN > 0 };
}

export const titleMatch = (output, gold) => fold(output) === fold(gold);

export function authorsF1(output, gold) {
  const norm = (names) => new Set((names ?? []).map((n) => fold(n).toLowerCase()).filter(Boolean));
  const o = norm(output);
  const g = norm(gold);
  if (g.size === 0) return null;
  let tp = 0;
  for (const n of o) if (g.has(n)) tp++;
  return o.size === 0 ? 0 : (2 * tp) / (o.size + g.size);
}

export function sameDay(output, gold) {
  if (!gold) return null;
  return typeof output === 'string' && output.slice(0, 10) === String(gold).slice(0, 10);
}

/** The set's figures from per-page scores. */
export function summarize(rows) {
  const withOutput = rows.filter((r) => r.body.hasOutput);
  const P = withOutput.reduce((a, r) => a + r.body.precision, 0) / Math.max(1, withOutput.length);
  const R = rows.reduce((a, r) => a + r.body.recall, 0) / Math.max(1, rows.length);
  const authorRows = rows.filter((r) => r.authors !== null);
  const dateRows = rows.filter((r) => r.date !== null);
  return {
    pages: rows.length,
    body: { precision: P, recall: R, f1: P + R ? (2 * P * R) / (P + R) : 0 },
    title: rows.filter((r) => r.title).length,
    authors: authorRows.reduce((a, r) => a + r.authors, 0) / Math.max(1, authorRows.length),
    authorPages: authorRows.length,
    date: dateRows.filter((r) => r.date).length,
    datePages: dateRows.length,
  };
}
