import { describe, expect, it } from 'vitest';
import { capturedLogger } from './bridge-under-test.fixture.js';
import { PluginLogBook } from './plugin-log-book.js';

describe('PluginLogBook', () => {
  it('keeps each plugin’s lines apart, newest last, and forwards them to the host log', () => {
    const { logger, lines: logged } = capturedLogger();
    const book = new PluginLogBook(logger);
    book.record('geo', 'info', 'database loaded', { entries: 120_000 });
    book.record('crm', 'error', 'CRM answered 500');
    book.record('geo', 'warn', 'database is 40 days old');

    expect(book.lines('geo').map((line) => line.message)).toEqual([
      'database loaded',
      'database is 40 days old',
    ]);
    expect(book.lines('geo')[0]).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      level: 'info',
      message: 'database loaded',
      fields: { entries: 120_000 },
    });
    expect(logged[0]).toMatchObject({
      level: 30,
      plugin: 'geo',
      msg: 'database loaded',
      fields: { entries: 120_000 },
    });
    expect(logged[1]).toMatchObject({ level: 50, plugin: 'crm', msg: 'CRM answered 500' });
  });

  it('keeps the last lines up to its capacity, and filters by limit and minimum level', () => {
    const book = new PluginLogBook(capturedLogger().logger, { capacity: 3 });
    for (const [i, level] of (['debug', 'info', 'warn', 'error', 'debug'] as const).entries()) {
      book.record('geo', level, `line ${i}`);
    }
    expect(book.lines('geo').map((line) => line.message)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(book.lines('geo', { limit: 2 }).map((line) => line.message)).toEqual([
      'line 3',
      'line 4',
    ]);
    expect(book.lines('geo', { level: 'warn' }).map((line) => line.level)).toEqual([
      'warn',
      'error',
    ]);
    book.clear('geo');
    expect(book.lines('geo')).toEqual([]);
  });

  it('caps what a plugin can put in memory: message length and serialised fields', () => {
    const book = new PluginLogBook(capturedLogger().logger, {
      maxMessageLength: 10,
      maxFieldsLength: 50,
    });
    book.record('spam', 'info', 'a'.repeat(1_000), { blob: 'b'.repeat(10_000) });
    const [line] = book.lines('spam');
    expect(line?.message).toBe(`${'a'.repeat(10)}… (990 more characters)`);
    expect(line?.fields).toEqual({ truncated: true, preview: `{"blob":"${'b'.repeat(41)}` });
  });

  it('copies fields as plain data, so later changes by the plugin do not show', () => {
    const book = new PluginLogBook(capturedLogger().logger);
    const fields = { count: 1 };
    book.record('geo', 'info', 'counted', fields);
    fields.count = 2;
    expect(book.lines('geo')[0]?.fields).toEqual({ count: 1 });
  });

  it('keeps a line whose fields cannot be serialised, saying so', () => {
    const book = new PluginLogBook(capturedLogger().logger);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    book.record('geo', 'info', 'odd fields', circular);
    expect(book.lines('geo')[0]?.fields).toEqual({
      unserialisable: expect.stringContaining('circular') as unknown,
    });
  });

  it('keeps a plugin from overwriting the host’s own log keys', () => {
    const { logger, lines: logged } = capturedLogger();
    new PluginLogBook(logger).record('geo', 'info', 'hi', {
      plugin: 'crm',
      level: 60,
      msg: 'forged',
    });
    expect(logged[0]).toMatchObject({
      plugin: 'geo',
      level: 30,
      msg: 'hi',
      fields: { plugin: 'crm' },
    });
  });
});
