/**
 * Parses local date-times written with a fixed pattern (`yyyy-MM-dd HH:mm:ss`, `M/d/yyyy H:mm`)
 * in a given IANA time zone. Exports rarely write a zone, and `new Date('12/1/2010 8:26')` would
 * read them in the zone of whoever runs the import.
 */

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';

const TOKENS: Record<string, { field: Field; pattern: string }> = {
  yyyy: { field: 'year', pattern: '(\\d{4})' },
  MM: { field: 'month', pattern: '(\\d{2})' },
  M: { field: 'month', pattern: '(\\d{1,2})' },
  dd: { field: 'day', pattern: '(\\d{2})' },
  d: { field: 'day', pattern: '(\\d{1,2})' },
  HH: { field: 'hour', pattern: '(\\d{2})' },
  H: { field: 'hour', pattern: '(\\d{1,2})' },
  mm: { field: 'minute', pattern: '(\\d{2})' },
  ss: { field: 'second', pattern: '(\\d{2})' },
  SSS: { field: 'millisecond', pattern: '(\\d{3})' },
};
// Longest tokens first; 'text' in single quotes is literal.
const LEXER = /'([^']*)'|yyyy|SSS|MM|M|dd|d|HH|H|mm|ss|([A-Za-z])|([^A-Za-z']+)/g;

/**
 * Compiles a pattern into a parser returning the instant, or `undefined` when the text does not
 * match or names an impossible date (`2011-02-30`). Throws on an unknown pattern letter or zone.
 *
 * @example
 * compileDatePattern('yyyy-MM-dd HH:mm:ss', 'Europe/London')('2011-06-01 09:00:00');
 * // 2011-06-01T08:00:00.000Z (British Summer Time)
 */
export function compileDatePattern(
  format: string,
  timeZone: string,
): (text: string) => Date | undefined {
  const fields: Field[] = [];
  let source = '';
  for (const [token, quoted, letter, literal] of format.matchAll(LEXER)) {
    if (letter) throw new Error(`date format "${format}": unsupported letter "${letter}"`);
    const known = TOKENS[token];
    if (known) {
      fields.push(known.field);
      source += known.pattern;
    } else {
      source += escape(quoted ?? literal ?? '');
    }
  }
  for (const required of ['year', 'month', 'day'] as const) {
    if (!fields.includes(required)) throw new Error(`date format "${format}" has no ${required}`);
  }
  const expression = new RegExp(`^${source}$`);
  const offset = zoneOffset(timeZone);
  return (text) => {
    const match = expression.exec(text);
    if (!match) return undefined;
    const value: Record<Field, number> = {
      year: 0,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    };
    fields.forEach((field, index) => (value[field] = Number(match[index + 1])));
    if (value.hour > 23 || value.minute > 59 || value.second > 59) return undefined;
    const localMs = Date.UTC(
      value.year,
      value.month - 1,
      value.day,
      value.hour,
      value.minute,
      value.second,
      value.millisecond,
    );
    // Date.UTC rolls 2011-02-30 over to March: a changed month or day means an impossible date.
    const wall = new Date(localMs);
    if (wall.getUTCMonth() !== value.month - 1 || wall.getUTCDate() !== value.day) return undefined;
    return new Date(localMs - offset(localMs));
  };
}

/** A function giving the zone's offset from UTC (ms) at a local wall-clock time. */
function zoneOffset(timeZone: string): (localMs: number) => number {
  if (timeZone === 'UTC') return () => 0;
  // Throws a RangeError for an unknown zone, which the mapping loader reports.
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (instant: number): number => {
    const part: Record<string, number> = {};
    for (const { type, value } of formatter.formatToParts(instant)) part[type] = Number(value);
    const asUtc = Date.UTC(
      part.year ?? 0,
      (part.month ?? 1) - 1,
      part.day ?? 1,
      part.hour ?? 0,
      part.minute ?? 0,
      part.second ?? 0,
    );
    return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
  };
  // The offset at the wall-clock time read as UTC is right except within hours of a change; one
  // more step settles it. An ambiguous autumn time reads as standard time.
  return (localMs) => {
    const first = offsetAt(localMs);
    const second = offsetAt(localMs - first);
    return first === second ? first : offsetAt(localMs - second);
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
