import { describe, expect, it } from 'vitest';
import { readLines, type Line } from './read-lines.js';

async function collect(chunks: (string | Buffer)[], maxLength?: number): Promise<Line[]> {
  async function* source(): AsyncGenerator<Buffer> {
    for (const chunk of chunks) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  }
  const lines: Line[] = [];
  for await (const line of readLines(source(), maxLength)) lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('numbers lines across chunks, with \\n or \\r\\n, and a last line without an end', async () => {
    expect(await collect(['a\r\nb', 'c\n\nd'])).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'bc' },
      { number: 3, text: '' },
      { number: 4, text: 'd' },
    ]);
  });

  it('keeps a character split between two chunks whole, and drops a byte-order mark', async () => {
    const pound = Buffer.from('\uFEFF£5\n', 'utf8');
    expect(await collect([pound.subarray(0, 4), pound.subarray(4)])).toEqual([
      { number: 1, text: '£5' },
    ]);
  });

  it('reports a line longer than the limit without keeping it, then goes on', async () => {
    expect(await collect(['short\n', 'x'.repeat(30), 'x'.repeat(30), '\nnext\n'], 40)).toEqual([
      { number: 1, text: 'short' },
      { number: 2, tooLong: true },
      { number: 3, text: 'next' },
    ]);
  });
});
