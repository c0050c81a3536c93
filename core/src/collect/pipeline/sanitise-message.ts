import {
  MAX_IMPORTED_MESSAGE_BYTES,
  MAX_MESSAGE_BYTES,
  type IngestionSource,
} from '../ingestion.js';
import { dlq, ok, type StepResult } from './step-result.js';

const MAX_DEPTH = 24;

/** Size limits by how a message arrived: HTTP follows the Segment spec, imports allow more. */
export function limitsFor(channel: IngestionSource['channel']): { bytes: number; keys: number } {
  return channel === 'import'
    ? { bytes: MAX_IMPORTED_MESSAGE_BYTES, keys: 50_000 }
    : { bytes: MAX_MESSAGE_BYTES, keys: 5_000 };
}

/**
 * First look at a raw message: an object, not too deep, not too many keys, and no `__proto__`
 * keys (JSON.parse makes them own properties, harmless until someone merges the object; they
 * are removed so that can never happen). Its size is checked against the limit of its channel.
 */
export function sanitiseMessage(
  raw: unknown,
  limits: { bytes: number; keys: number } = limitsFor('http'),
): StepResult<Record<string, unknown>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return dlq('not_an_object', 'A message must be a JSON object');
  }
  const walk = { keys: 0, limit: limits.keys, bound: 0 };
  const problem = inspect(raw as Record<string, unknown>, 1, walk);
  if (problem) return problem;
  // Most messages are far below the limit even counted at their worst: skip serialising them.
  if (walk.bound <= limits.bytes) return ok(raw as Record<string, unknown>);
  const json = JSON.stringify(raw);
  // Checking the UTF-16 length first avoids measuring bytes of the many small messages.
  const bytes = json.length * 3 <= limits.bytes ? json.length : Buffer.byteLength(json);
  if (bytes > limits.bytes) {
    return dlq('event_too_large', `The message is ${bytes} bytes; the limit is ${limits.bytes}`);
  }
  return ok(raw as Record<string, unknown>);
}

function inspect(
  value: Record<string, unknown> | unknown[],
  depth: number,
  walk: Walk,
): StepResult<never> | undefined {
  if (depth > MAX_DEPTH) return dlq('too_deeply_nested', `Nesting deeper than ${MAX_DEPTH} levels`);
  walk.bound += 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      walk.bound += 1;
      if (typeof item === 'object' && item !== null) {
        const problem = inspect(item as Record<string, unknown>, depth + 1, walk);
        if (problem) return problem;
      } else walk.bound += scalarBound(item);
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (++walk.keys > walk.limit) return dlq('too_many_keys', `More than ${walk.limit} keys`);
    if (key === '__proto__') {
      delete value[key];
      continue;
    }
    walk.bound += WORST_BYTES_PER_UNIT * key.length + 4;
    const child = value[key];
    if (typeof child === 'object' && child !== null) {
      const problem = inspect(child as Record<string, unknown>, depth + 1, walk);
      if (problem) return problem;
    } else walk.bound += scalarBound(child);
  }
  return undefined;
}

interface Walk {
  keys: number;
  limit: number;
  /** An upper bound of the message's size as UTF-8 JSON. */
  bound: number;
}

// A UTF-16 unit takes at most 6 bytes in JSON (an escape like \u001f), 3 as plain UTF-8.
const WORST_BYTES_PER_UNIT = 6;

function scalarBound(value: unknown): number {
  if (typeof value === 'string') return WORST_BYTES_PER_UNIT * value.length + 2;
  return 24; // numbers, booleans and null
}
