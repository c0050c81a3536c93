import { describe, expect, it } from 'vitest';
import { compileDatePattern } from './date-pattern.js';

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

describe('compileDatePattern', () => {
  it('reads UK local time: GMT in winter, BST in summer', () => {
    const parse = compileDatePattern('yyyy-MM-dd HH:mm:ss', 'Europe/London');
    expect(iso(parse('2010-12-01 08:26:00'))).toBe('2010-12-01T08:26:00.000Z');
    expect(iso(parse('2011-08-12 14:50:00'))).toBe('2011-08-12T13:50:00.000Z');
  });

  it('reads the hours around the changes of clock', () => {
    const parse = compileDatePattern('yyyy-MM-dd HH:mm', 'Europe/London');
    // 2011-03-27 01:00 GMT became 02:00 BST.
    expect(iso(parse('2011-03-27 00:59'))).toBe('2011-03-27T00:59:00.000Z');
    expect(iso(parse('2011-03-27 02:00'))).toBe('2011-03-27T01:00:00.000Z');
    // 2011-10-30 02:00 BST became 01:00 GMT: 01:30 happened twice, read as GMT.
    expect(iso(parse('2011-10-30 00:30'))).toBe('2011-10-29T23:30:00.000Z');
    expect(iso(parse('2011-10-30 01:30'))).toBe('2011-10-30T01:30:00.000Z');
    expect(iso(parse('2011-10-30 02:30'))).toBe('2011-10-30T02:30:00.000Z');
  });

  it('reads US-style dates with single-digit fields, in UTC by default', () => {
    const parse = compileDatePattern('M/d/yyyy H:mm', 'UTC');
    expect(iso(parse('12/1/2010 8:26'))).toBe('2010-12-01T08:26:00.000Z');
    expect(iso(parse('06/09/2011 17:05'))).toBe('2011-06-09T17:05:00.000Z');
  });

  it('reads zones east of UTC and quoted literals', () => {
    const parse = compileDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSS", 'Asia/Tokyo');
    expect(iso(parse('2011-01-01T09:00:00.250'))).toBe('2011-01-01T00:00:00.250Z');
  });

  it('gives nothing for text that does not match or names an impossible date', () => {
    const parse = compileDatePattern('yyyy-MM-dd HH:mm:ss', 'UTC');
    expect(parse('2010-12-01')).toBeUndefined();
    expect(parse('2011-02-29 10:00:00')).toBeUndefined();
    expect(parse('2011-13-01 10:00:00')).toBeUndefined();
    expect(parse('2011-01-01 24:00:00')).toBeUndefined();
    expect(parse('2011-01-01 10:60:00')).toBeUndefined();
    expect(iso(parse('2012-02-29 10:00:00'))).toBe('2012-02-29T10:00:00.000Z');
  });

  it('refuses unknown pattern letters, patterns without a day and unknown zones', () => {
    expect(() => compileDatePattern('yyyy-MM-dd hh:mm a', 'UTC')).toThrow(
      'date format "yyyy-MM-dd hh:mm a": unsupported letter "h"',
    );
    expect(() => compileDatePattern('yyyy-MM', 'UTC')).toThrow('has no day');
    expect(() => compileDatePattern('yyyy-MM-dd', 'Europe/Lundon')).toThrow(RangeError);
  });
});
