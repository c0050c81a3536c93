/** A count, split by reason. */
export interface Tally {
  total: number;
  byReason: Record<string, number>;
}

/** What an import did; printed at the end, or as JSON with `--json`. */
export interface ImportSummary {
  file: string;
  format: 'ndjson' | 'csv';
  /** Non-empty NDJSON lines, or CSV records (the header excluded). */
  rowsRead: number;
  /** Rows a mapping rule excluded on purpose. */
  rowsSkipped: Tally;
  /** Messages handed to the pipeline. */
  messagesBuilt: number;
  /** Messages the pipeline stored, or had already stored (a re-import). */
  accepted: number;
  /** Lines, rows, groups or messages that were not stored: reader and pipeline rejections. */
  rejected: Tally;
  /** Messages the pipeline dropped on purpose (e.g. a plugin's bot filter). */
  dropped: Tally;
  durationMs: number;
  rowsPerSecond: number;
  /** Where the rejections were written, if there were any. */
  rejectedFile?: string;
}

export function emptyTally(): Tally {
  return { total: 0, byReason: {} };
}

export function count(tally: Tally, reason: string): void {
  tally.total += 1;
  tally.byReason[reason] = (tally.byReason[reason] ?? 0) + 1;
}

/**
 * The human-readable summary.
 *
 * @example
 * process.stdout.write(formatSummary(summary));
 * // imported online_retail.csv.gz (csv) in 14.2 s
 * //   rows read       541,909  (38,162 rows/s)
 * //   …
 */
export function formatSummary(summary: ImportSummary): string {
  const number = (value: number): string => value.toLocaleString('en-GB');
  const line = (label: string, value: number, note = ''): string =>
    `  ${label.padEnd(16)}${number(value).padStart(10)}${note ? `  ${note}` : ''}\n`;
  const reasons = (tally: Tally): string =>
    Object.entries(tally.byReason)
      .sort(([, a], [, b]) => b - a)
      .map(([reason, value]) => `${reason} ${number(value)}`)
      .join(', ');
  const seconds = (summary.durationMs / 1000).toFixed(1);
  return [
    `imported ${summary.file} (${summary.format}) in ${seconds} s\n`,
    line('rows read', summary.rowsRead, `(${number(Math.round(summary.rowsPerSecond))} rows/s)`),
    line('rows skipped', summary.rowsSkipped.total, reasons(summary.rowsSkipped)),
    line('messages built', summary.messagesBuilt),
    line('accepted', summary.accepted),
    line('rejected', summary.rejected.total, reasons(summary.rejected)),
    line('dropped', summary.dropped.total, reasons(summary.dropped)),
    summary.rejectedFile ? `rejections written to ${summary.rejectedFile}\n` : '',
  ].join('');
}
