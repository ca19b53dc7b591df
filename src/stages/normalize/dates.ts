/**
 * Date strings from meta tags / JSON-LD → ISO 8601, keeping the page's own
 * UTC offset. Parsed by hand: a `new Date()` round trip would shift the time
 * into UTC (or the machine's zone) and lose the offset the site gave.
 */
import { asciiDigits } from './arabic-fold.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ZONES: Record<string, string> = {
  z: 'Z', ut: 'Z', utc: 'Z', gmt: 'Z',
  est: '-05:00', edt: '-04:00', cst: '-06:00', cdt: '-05:00', mst: '-07:00', mdt: '-06:00', pst: '-08:00', pdt: '-07:00',
};

// 2020-10-07, 2020/10/07, 2020-10-07T12:09, …T12:09:00.123+03:00, "2020-10-07 12:09:00 +0300"
const ISO =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[a-z]{2,4})?)?$/i;
// "Wed, 07 Oct 2020 12:09:00 +0300", "7 October 2020", "October 7, 2020 at 12:09 PM EST"
const TEXTUAL =
  /^(?:[a-z]+\.?,?\s+)?(?:(\d{1,2})\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?(?:\s*(z|[a-z]{2,4}|[+-]\d{2}:?\d{2}))?$/i;
const EPOCH = /^\d{10}(?:\d{3})?$/;

const pad = (n: number): string => String(n).padStart(2, '0');

function monthIndex(name: string): number {
  const n = name.toLowerCase();
  const i = MONTHS.findIndex((m) => m.startsWith(n.slice(0, 3)));
  if (i < 0 || n.length < 3) return -1;
  return MONTHS[i]!.startsWith(n) || n === 'sept' ? i + 1 : -1;
}

/**
 * "+0300" / "+03" / "+03:00" / "GMT" → "+03:00" / "Z". Undefined when absent
 * or an unknown zone name (the local time is kept); null when out of range.
 */
function offset(zone: string | undefined): string | null | undefined {
  if (!zone) return undefined;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return ZONES[zone.toLowerCase()];
  const h = Number(m[2]);
  const min = Number(m[3] ?? '0');
  if (h > 14 || min > 59) return null;
  return `${m[1]}${pad(h)}:${pad(min)}`;
}

function build(y: number, mo: number, d: number, time?: [number, number, number], zone?: string): string | null {
  if (mo < 1 || mo > 12 || d < 1 || y < 1000) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  if (!time) return date;
  const [h, mi, s] = time;
  if (h > 23 || mi > 59 || s > 59) return null;
  const off = offset(zone);
  if (off === null) return null;
  return `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${off ?? ''}`;
}

const num = (s: string | undefined): number => Number(s ?? '0');

/** Parse a date string to ISO 8601 ("YYYY-MM-DD" or "YYYY-MM-DDTHH:mm:ss[±HH:MM|Z]"); null if unparseable. */
export function toIsoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = asciiDigits(value).replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  if (!v) return null;

  if (EPOCH.test(v)) {
    const ms = v.length === 10 ? Number(v) * 1000 : Number(v);
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  let m = ISO.exec(v);
  if (m) {
    const time: [number, number, number] | undefined = m[5] ? [num(m[5]), num(m[6]), num(m[7])] : undefined;
    return build(num(m[1]), num(m[3]), num(m[4]), time, m[8]);
  }

  m = TEXTUAL.exec(v);
  if (!m) return null;
  const dayFirst = m[1] !== undefined;
  const mo = monthIndex(dayFirst ? m[2]! : m[4]!);
  if (mo < 0) return null;
  const day = num(dayFirst ? m[1] : m[5]);
  const year = num(dayFirst ? m[3] : m[6]);
  let time: [number, number, number] | undefined;
  if (m[7]) {
    let h = num(m[7]);
    const ampm = m[10]?.toLowerCase().replace(/\./g, '');
    if (ampm && (h < 1 || h > 12)) return null;
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
    time = [h, num(m[8]), num(m[9])];
  }
  return build(year, mo, day, time, m[11]);
}
