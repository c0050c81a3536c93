import { describe, expect, it } from 'vitest';
import { ValueError, compileConversion } from './conversions.js';

describe('compileConversion', () => {
  it('keeps text as it is by default', () => {
    expect(compileConversion({ column: 'a' })('85123A')).toBe('85123A');
  });

  it('reads numbers and integers, with abs and asString', () => {
    expect(compileConversion({ column: 'a', type: 'number' })('2.55')).toBe(2.55);
    expect(compileConversion({ column: 'a', type: 'number' })('-1.5e2')).toBe(-150);
    expect(compileConversion({ column: 'a', type: 'integer' })('-12')).toBe(-12);
    expect(compileConversion({ column: 'a', type: 'integer', abs: true })('-12')).toBe(12);
    const id = compileConversion({ column: 'a', type: 'integer', asString: true });
    expect(id('17850.0')).toBe('17850');
  });

  it('refuses what is not a number, or not an integer', () => {
    const number = compileConversion({ column: 'a', type: 'number' });
    expect(() => number('12 kg')).toThrow(new ValueError('"12 kg" is not a number'));
    expect(() => number('0x1F')).toThrow(ValueError);
    expect(() => number('Infinity')).toThrow(ValueError);
    const integer = compileConversion({ column: 'a', type: 'integer' });
    expect(() => integer('2.5')).toThrow(new ValueError('"2.5" is not an integer'));
  });

  it('reads booleans', () => {
    const boolean = compileConversion({ column: 'a', type: 'boolean' });
    expect(['TRUE', 'no', '1', '0'].map(boolean)).toEqual([true, false, true, false]);
    expect(() => boolean('maybe')).toThrow('"maybe" is not a boolean');
  });

  it('reads ISO dates as UTC when they carry no offset, whatever the zone of the machine', () => {
    const date = compileConversion({ column: 'a', type: 'date' });
    expect(date('2011-06-01 09:00')).toBe('2011-06-01T09:00:00.000Z');
    expect(date('2011-06-01T09:00:00+02:00')).toBe('2011-06-01T07:00:00.000Z');
    expect(date('2011-06-01')).toBe('2011-06-01T00:00:00.000Z');
    expect(() => date('June 1, 2011')).toThrow('"June 1, 2011" is not an ISO 8601 date');
  });

  it('reads dates with a pattern and a zone', () => {
    const date = compileConversion({
      column: 'a',
      type: 'date',
      format: 'M/d/yyyy H:mm',
      timeZone: 'Europe/London',
    });
    expect(date('6/1/2011 9:00')).toBe('2011-06-01T08:00:00.000Z');
    expect(() => date('2011-06-01')).toThrow('"2011-06-01" is not a date like M/d/yyyy H:mm');
  });
});
