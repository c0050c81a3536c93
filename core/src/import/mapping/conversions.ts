import { compileDatePattern } from './date-pattern.js';
import type { ColumnValue } from './mapping.types.js';

/** A column's text could not be converted to its declared type. */
export class ValueError extends Error {
  /** In a group, which of its rows (0-based) held the bad value. */
  constructor(
    message: string,
    readonly rowIndex = 0,
  ) {
    super(message);
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

/**
 * Compiles the conversion of one column's (trimmed, non-empty) text to the value it becomes in a
 * message. The converter throws a {@link ValueError} saying what was wrong with the text.
 *
 * @example
 * compileConversion({ column: 'CustomerID', type: 'integer', asString: true })('17850.0'); // '17850'
 */
export function compileConversion(spec: ColumnValue): (text: string) => unknown {
  switch (spec.type ?? 'string') {
    case 'string':
      return (text) => text;
    case 'boolean':
      return (text) => {
        const value = BOOLEANS[text.toLowerCase()];
        if (value === undefined) throw new ValueError(`"${text}" is not a boolean`);
        return value;
      };
    case 'date':
      return dateConversion(spec);
    case 'number':
    case 'integer':
      return numberConversion(spec);
  }
}

function numberConversion(spec: ColumnValue): (text: string) => unknown {
  const integer = spec.type === 'integer';
  return (text) => {
    let value = NUMBER.test(text) ? Number(text) : Number.NaN;
    if (integer ? !Number.isSafeInteger(value) : !Number.isFinite(value)) {
      throw new ValueError(`"${text}" is not ${integer ? 'an integer' : 'a number'}`);
    }
    if (spec.abs) value = Math.abs(value);
    return spec.asString ? String(value) : value;
  };
}

function dateConversion(spec: ColumnValue): (text: string) => unknown {
  const { format, timeZone = 'UTC' } = spec;
  if (format) {
    const parse = compileDatePattern(format, timeZone);
    return (text) => {
      const date = parse(text);
      if (!date) throw new ValueError(`"${text}" is not a date like ${format}`);
      return date.toISOString();
    };
  }
  return (text) => {
    const match = ISO_DATE.exec(text);
    // JavaScript reads a date-time without an offset in the importing machine's zone: make it UTC.
    const utc = match?.[1] && !match[4] ? `${text.replace(' ', 'T')}Z` : text;
    const time = match ? Date.parse(utc) : Number.NaN;
    if (Number.isNaN(time)) throw new ValueError(`"${text}" is not an ISO 8601 date`);
    return new Date(time).toISOString();
  };
}
