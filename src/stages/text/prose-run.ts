/**
 * The main prose run of a dump: the stretch of prose lines carrying the most
 * text, allowing a few non-prose lines inside it (subheadings, short quotes).
 * Menus, section labels, headline lists and footers lie mostly before or
 * after it. Other runs join it when they are near, or large (a body split by
 * a related-links box, or captured twice: the copy is dropped later as a repeat).
 */

/**
 * prose: body text. other: anything else (labels, headlines, menu items).
 * neutral: lines already known as boilerplate (phrase lines, bylines, polls,
 * links): dropped or extracted elsewhere, they neither extend nor break a run.
 */
export type Role = 'prose' | 'other' | 'neutral';

/** Inclusive line indices; `chars` is the prose text the span holds. */
export interface Span {
  start: number;
  end: number;
  chars: number;
}

export interface RunRules {
  maxGap: number;
  maxGapBefore: number;
  maxGapAfter: number;
  mergeShare: number;
}

/**
 * gap(a, b): the number of 'other' lines strictly between a and b, in O(1)
 * from prefix counts (a dump can have many runs; counting each gap line by
 * line would make the merging quadratic).
 */
function gapCounter(roles: Role[]): (a: number, b: number) => number {
  const before = new Uint32Array(roles.length + 1); // 'other' lines in [0, i)
  for (let i = 0; i < roles.length; i++) before[i + 1] = before[i]! + (roles[i] === 'other' ? 1 : 0);
  return (a, b) => (b > a + 1 ? before[b]! - before[a + 1]! : 0);
}

/** Runs of prose lines with at most `maxGap` other lines between neighbours. */
export function proseRuns(roles: Role[], chars: number[], maxGap: number): Span[] {
  const gap = gapCounter(roles);
  const runs: Span[] = [];
  let cur: Span | null = null;
  for (let i = 0; i < roles.length; i++) {
    if (roles[i] !== 'prose') continue;
    if (cur && gap(cur.end, i) <= maxGap) {
      cur.end = i;
      cur.chars += chars[i]!;
    } else {
      if (cur) runs.push(cur);
      cur = { start: i, end: i, chars: chars[i]! };
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

/** The body span: the main run plus the runs that join it; null when there is no prose. */
export function findBody(roles: Role[], chars: number[], rules: RunRules): Span | null {
  const runs = proseRuns(roles, chars, rules.maxGap);
  if (runs.length === 0) return null;
  const gap = gapCounter(roles);
  let m = 0;
  for (let i = 1; i < runs.length; i++) if (runs[i]!.chars > runs[m]!.chars) m = i;
  const main = runs[m]!;
  const body: Span = { ...main };
  const large = (r: Span): boolean => r.chars >= main.chars * rules.mergeShare;
  // Nearest first; the gap is measured from the body as it grows.
  for (let i = m - 1; i >= 0; i--) {
    const r = runs[i]!;
    if (large(r) || gap(r.end, body.start) <= rules.maxGapBefore) {
      body.start = r.start;
      body.chars += r.chars;
    }
  }
  for (let i = m + 1; i < runs.length; i++) {
    const r = runs[i]!;
    if (large(r) || gap(body.end, r.start) <= rules.maxGapAfter) {
      body.end = r.end;
      body.chars += r.chars;
    }
  }
  return body;
}
