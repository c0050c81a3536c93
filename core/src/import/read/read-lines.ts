import { StringDecoder } from 'node:string_decoder';

export type Line = { number: number; text: string } | { number: number; tooLong: true };

/**
 * Splits a byte stream into lines (`\n` or `\r\n`), numbered from 1, pulling chunks only as fast
 * as lines are consumed. A line longer than `maxLength` characters is not kept in memory: it is
 * reported as `tooLong` and reading goes on at the next line.
 *
 * @example
 * for await (const line of readLines(createReadStream('events.ndjson'))) console.log(line.number);
 */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  maxLength = 1024 * 1024,
): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overflowing = false;
  let number = 0;
  const finish = (piece: string): Line => {
    number += 1;
    const line: Line = overflowing
      ? { number, tooLong: true }
      : { number, text: stripLineEnd(number === 1 ? stripBom(pending + piece) : pending + piece) };
    pending = '';
    overflowing = false;
    return line;
  };
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield finish(text.slice(start, end));
      start = end + 1;
    }
    if (!overflowing) pending += text.slice(start);
    if (pending.length > maxLength) {
      overflowing = true;
      pending = '';
    }
  }
  const rest = decoder.end();
  if (pending !== '' || rest !== '' || overflowing) yield finish(rest);
}

function stripLineEnd(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
