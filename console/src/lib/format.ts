const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** `12345` → `12,345`; absent values show as a dash rather than `NaN`. */
export function count(value: number | undefined | null): string {
  return typeof value === 'number' && Number.isFinite(value) ? integer.format(value) : '–';
}

export function rate(value: number | undefined | null): string {
  return typeof value === 'number' && Number.isFinite(value) ? decimal.format(value) : '–';
}

/** A lag or age in seconds, in the largest unit that keeps it short: `42 s`, `3 min`, `2 h`. */
export function seconds(value: number | undefined | null): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (value < 60) return `${decimal.format(value)} s`;
  if (value < 3600) return `${decimal.format(value / 60)} min`;
  if (value < 86_400) return `${decimal.format(value / 3600)} h`;
  return `${decimal.format(value / 86_400)} d`;
}

/** An ISO timestamp (or epoch ms) in the reader's locale, with seconds. */
export function dateTime(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === '') return '–';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function time(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === '') return '–';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleTimeString();
}

/** Any JSON value as indented text for the inspectors. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined';
}
