import { describe, expect, it } from 'vitest';
import { ndjsonMessages } from './ndjson-messages.js';
import type { Line } from './read-lines.js';
import type { SourceItem } from './source-item.js';

async function read(lines: Line[]): Promise<{ items: SourceItem[]; rows: number }> {
  async function* source(): AsyncGenerator<Line> {
    yield* lines;
  }
  const counters = { rows: 0 };
  const items: SourceItem[] = [];
  for await (const item of ndjsonMessages(source(), counters)) items.push(item);
  return { items, rows: counters.rows };
}

describe('ndjsonMessages', () => {
  it('turns each line into a message, skipping blank lines', async () => {
    const { items, rows } = await read([
      { number: 1, text: '{"type":"track","event":"Signed Up","userId":"42"}' },
      { number: 2, text: '   ' },
      { number: 3, text: '{"type":"identify","userId":"42","traits":{"plan":"pro"}}' },
    ]);
    expect(rows).toBe(2);
    expect(items).toEqual([
      {
        kind: 'message',
        line: 1,
        message: { type: 'track', event: 'Signed Up', userId: '42' },
      },
      {
        kind: 'message',
        line: 3,
        message: { type: 'identify', userId: '42', traits: { plan: 'pro' } },
      },
    ]);
  });

  it('rejects bad lines with their line number and reason', async () => {
    const { items } = await read([
      { number: 1, text: '{"type":"track",' },
      { number: 2, text: '[1,2]' },
      { number: 3, text: '{"event":"Signed Up"}' },
      { number: 4, tooLong: true },
    ]);
    expect(items.map((item) => item.kind === 'rejected' && [item.line, item.reason])).toEqual([
      [1, 'invalid_json'],
      [2, 'not_an_object'],
      [3, 'missing_type'],
      [4, 'line_too_long'],
    ]);
    expect(items[0]).toMatchObject({ raw: '{"type":"track",' });
    expect(items[0]?.kind === 'rejected' && items[0].detail).toMatch(/JSON/);
  });
});
