import { describe, expect, it } from 'vitest';
import { parseDate } from './document-dates.js';

// Expected values are what an OpenSearch 2.19 `date` field (default format, ignore_malformed)
// indexed for the same input; undefined where it skipped the value as malformed.
describe('parseDate', () => {
  it.each([
    ['2024-01-01T00:00:00Z', 1704067200000],
    ['2024-01-01T00:00:00,5Z', 1704067200500],
    ['2024-01-01T10:00:00.123456789Z', 1704103200123],
    ['2024-01-01T01:30:00+0200', 1704065400000],
    ['2024-01-01T01:30:00+02', 1704065400000],
    ['2024-01-01T01:30:00+02:00', 1704065400000],
    ['2024-01-01T10', 1704103200000],
    ['2024-01', 1704067200000],
    ['2024', 1704067200000],
    ['20240101', 20240101],
    ['1704067200000', 1704067200000],
    [1704067200000.7, 1704067200000],
  ])('reads %j as OpenSearch does', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('reads a time without offset as UTC, not local time', () => {
    expect(parseDate('2024-06-01T12:00:00')).toBe(Date.UTC(2024, 5, 1, 12));
    expect(parseDate('0050-01-01')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it.each([
    '2024-01-01Z',
    '2024-02-30',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:00:60Z',
    '2024-01-01 10:00:00',
    '2024-01-01t10:00:00z',
    'garbage',
    '',
  ])('refuses %j', (input) => {
    expect(parseDate(input)).toBeUndefined();
  });
});
