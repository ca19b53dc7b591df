/**
 * Feed and sitemap dates → ISO 8601. RSS writes RFC 822/2822 ("Wed, 07 Oct
 * 2020 12:09:00 +0300"); Atom, JSON Feed and sitemaps write W3C datetime /
 * RFC 3339. Both are accepted everywhere because real feeds mix them up.
 *
 * Parsed by hand so the feed's own offset survives (a Date round trip would
 * turn it into UTC). Output: "YYYY-MM-DD", "YYYY-MM-DDTHH:mm:ss" (no zone
 * given), or that plus "Z" / "±HH:MM". Anything else gives null: a bad date
 * never throws and never drops the item.
 */

/** Longer strings are not dates; the cap also keeps the regexes cheap on garbage. */
const MAX_LENGTH = 80;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const RFC822 =
  /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-]\d{2}:?\d{2}|[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?))?)?\s*(?:\([^()]*\))?$/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * Zone names seen in feeds. RFC 822 defines UT/GMT and the US ones; the rest
 * are common and unambiguous. Ambiguous names (IST, AST…) and military
 * letters are unknown: the time is kept without an offset (RFC 2822 §4.3).
 */
const NAMED_ZONES: Record<string, string> = {
  Z: 'Z', UT: 'Z', UTC: 'Z', GMT: 'Z',
  EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00', PST: '-08:00', PDT: '-07:00',
  AKST: '-09:00', AKDT: '-08:00', HST: '-10:00', WET: '+00:00', WEST: '+01:00', BST: '+01:00', CET: '+01:00', CEST: '+02:00',
  EET: '+02:00', EEST: '+03:00', MSK: '+03:00', JST: '+09:00', KST: '+09:00', AEST: '+10:00', AEDT: '+11:00',
};

type Parts = { y: number; mo: number; d: number; time: [number, number, number] | null; zone: string | null };

/** A feed/sitemap date as ISO 8601 keeping its offset, or null when it is not a real date. */
export function normalizeFeedDate(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > MAX_LENGTH) return null;
  const parts = parseIso(text) ?? parseRfc822(text);
  return parts && isValid(parts) ? format(parts) : null;
}

function parseIso(text: string): Parts | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const time = m[4] === undefined ? null : hms(m[4], m[5], m[6]);
  const zone = m[7] === undefined ? null : offsetOf(m[7]);
  if (zone === undefined) return null; // "+25:00": an impossible offset makes the date unreliable
  return { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), time, zone };
}

function parseRfc822(text: string): Parts | null {
  const m = RFC822.exec(text);
  if (!m) return null;
  const mo = monthNumber(m[2] ?? '');
  if (mo === 0) return null;
  const time = m[4] === undefined ? null : hms(m[4], m[5], m[6]);
  const zone = m[7] === undefined ? null : offsetOf(m[7]);
  // An unknown zone name keeps the wall-clock time without an offset; an impossible number ("+2500") voids the date.
  if (zone === undefined && /\d/.test(m[7] ?? '')) return null;
  return { y: fullYear(m[3] ?? ''), mo, d: Number(m[1]), time, zone: zone ?? null };
}

function hms(h: string | undefined, m: string | undefined, s: string | undefined): [number, number, number] {
  return [Number(h), Number(m), s === undefined ? 0 : Number(s)];
}

/** "Oct", "oct", "October", "Sept" → 10 / 9; 0 when it is no month. */
function monthNumber(word: string): number {
  const w = word.toLowerCase();
  const i = MONTHS.findIndex((name) => name.startsWith(w));
  return i + 1;
}

/** RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx; three digits add 1900. */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  if (y.length === 3) return 1900 + n;
  return n;
}

/** "Z", "+0300", "+03:00", "-05", "GMT", "EST", "GMT+3" → "Z" / "±HH:MM"; undefined when unknown or impossible. */
function offsetOf(zone: string): string | undefined {
  const z = zone.toUpperCase();
  const named = NAMED_ZONES[z];
  if (named !== undefined) return named;
  const m = /^(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (!m) return undefined;
  const h = Number(m[2]);
  const min = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59) return undefined;
  return `${m[1]}${pad(h)}:${pad(min)}`;
}

function isValid({ y, mo, d, time }: Parts): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false;
  return time === null || (time[0] <= 23 && time[1] <= 59 && time[2] <= 59);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

function format({ y, mo, d, time, zone }: Parts): string {
  const date = `${String(y).padStart(4, '0')}-${pad(mo)}-${pad(d)}`;
  if (time === null) return date;
  return `${date}T${time.map(pad).join(':')}${zone ?? ''}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const HOUR = 3_600_000;

/**
 * The latest instant (ms since epoch) a date can mean. With no offset the
 * zone is unknown, so the wall-clock time is read in UTC−12, the last zone on
 * Earth; a date alone runs to the end of that day there.
 */
export function latestInstant(value: string): number | null {
  const iso = normalizeFeedDate(value);
  if (iso === null) return null;
  if (iso.length === 10) return Date.parse(`${iso}T00:00:00Z`) + 36 * HOUR - 1;
  if (/(?:Z|[+-]\d{2}:\d{2})$/.test(iso)) return Date.parse(iso);
  return Date.parse(`${iso}Z`) + 12 * HOUR;
}
