import type { Line } from './read-lines.js';
import type { ReadCounters, SourceItem } from './source-item.js';

const RAW_EXCERPT = 1000;

/**
 * Turns NDJSON lines into Segment-spec messages. Blank lines are ignored; a line that is not JSON,
 * not an object, or has no `type` becomes a rejection carrying its line number.
 *
 * @example
 * for await (const item of ndjsonMessages(readLines(stream), { rows: 0 })) console.log(item.kind);
 */
export async function* ndjsonMessages(
  lines: AsyncIterable<Line>,
  counters: ReadCounters,
): AsyncGenerator<SourceItem> {
  for await (const line of lines) {
    if ('tooLong' in line) {
      counters.rows += 1;
      yield reject(line.number, 'line_too_long', 'the line is longer than 1 MiB');
      continue;
    }
    if (line.text.trim() === '') continue;
    counters.rows += 1;
    yield parseLine(line.number, line.text);
  }
}

function parseLine(number: number, text: string): SourceItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject(number, 'invalid_json', (error as Error).message, text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(number, 'not_an_object', 'a line must hold one JSON object', text);
  }
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string' || message.type === '') {
    return reject(number, 'missing_type', 'a message needs a "type" (track, identify, …)', text);
  }
  return { kind: 'message', line: number, message };
}

function reject(line: number, reason: string, detail: string, text?: string): SourceItem {
  const raw = text === undefined ? undefined : text.slice(0, RAW_EXCERPT);
  return { kind: 'rejected', line, reason, detail, raw };
}
