import { describe, expect, it } from 'vitest';
import { progressLine } from './import-progress.js';
import { formatSummary, type ImportSummary } from './import-summary.js';

describe('formatSummary', () => {
  it('prints counts with their reasons, most frequent first', () => {
    const summary: ImportSummary = {
      file: 'online_retail.csv.gz',
      format: 'csv',
      rowsRead: 541_909,
      rowsSkipped: { total: 1339, byReason: { bad_debt_adjustment: 3, stock_adjustment: 1336 } },
      messagesBuilt: 24_561,
      accepted: 24_452,
      rejected: { total: 109, byReason: { too_many_keys: 1, event_too_large: 108 } },
      dropped: { total: 0, byReason: {} },
      durationMs: 11_200,
      rowsPerSecond: 48_385,
      rejectedFile: 'online_retail.csv.gz.rejected.ndjson',
    };
    expect(formatSummary(summary)).toBe(
      [
        'imported online_retail.csv.gz (csv) in 11.2 s',
        '  rows read          541,909  (48,385 rows/s)',
        '  rows skipped         1,339  stock_adjustment 1,336, bad_debt_adjustment 3',
        '  messages built      24,561',
        '  accepted            24,452',
        '  rejected               109  event_too_large 108, too_many_keys 1',
        '  dropped                  0',
        'rejections written to online_retail.csv.gz.rejected.ndjson',
        '',
      ].join('\n'),
    );
  });
});

describe('progress line', () => {
  it('gives rows, share of the file, rate and time left', () => {
    const line = progressLine({
      bytesRead: 2_500_000,
      totalBytes: 10_000_000,
      rowsRead: 120_000,
      elapsedMs: 3_000,
    });
    expect(line).toBe('import: 120,000 rows, 25% of the file, 40,000 rows/s, about 9 s left\n');
  });
});
