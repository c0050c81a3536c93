/**
 * Date values of `date` fields, parsed the way OpenSearch's default date format
 * (`strict_date_optional_time||epoch_millis`) parses them, so both DocumentStore adapters see
 * the same instant: `yyyy[-MM[-dd[THH[:mm[:ss[.fraction]]][offset]]]]`, where a missing offset
 * means UTC (never local time, unlike `Date.parse`), or epoch milliseconds (a number or digits).
 */

const ISO_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH_MILLIS = /^-?\d+(\.\d+)?$/;
/** The range of a JavaScript Date, in epoch milliseconds. */
const MAX_EPOCH_MS = 8.64e15;

/** Epoch milliseconds of an ISO-8601 string or of epoch milliseconds; undefined if invalid. */
export function parseDate(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS
      ? Math.trunc(value)
      : undefined;
  }
  const match = ISO_DATE.exec(value);
  if (match === null) {
    // `epoch_millis` takes digit strings too; tried second, so "2024" stays a year.
    return EPOCH_MILLIS.test(value) ? parseDate(Number(value)) : undefined;
  }
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00'] = match;
  const fraction = match[7] ?? '';
  const offset = match[8] ?? 'Z';
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Reject what Date would silently roll over (February 30th, 25:00).
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h) {
    return undefined;
  }
  if (mi > 59 || s > 59) return undefined;
  const millis = date.getTime() - offsetMinutes(offset) * 60_000;
  return Number.isFinite(millis) ? millis : undefined;
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
