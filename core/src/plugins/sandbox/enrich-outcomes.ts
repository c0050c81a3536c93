import type { FieldChanges, TrackingEvent } from '@uspa/sdk';
import { PluginCallError, type EnrichOutcome, type FieldOutcome } from './plugin-runtime.js';

/**
 * What one `enrich` result means: an event (any object), `{ drop: reason }`, or an error for
 * that event alone when it is not an object. The isolate's prelude applies the same rules.
 *
 * @example
 * outcomeOf({ drop: 'bot' }); // → { kind: 'drop', reason: 'bot' }
 * outcomeOf(undefined);       // → { kind: 'error', message: 'enrich returned undefined, not an event' }
 */
export function outcomeOf(result: unknown): EnrichOutcome {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    const what = result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result;
    return { kind: 'error', message: `enrich returned ${what}, not an event` };
  }
  if ('drop' in result) return { kind: 'drop', reason: String(result.drop) };
  return { kind: 'ok', event: result as TrackingEvent };
}

/**
 * Reads the outcomes an isolate answered for a batch, one per event in order:
 * `[0, event] | [1, reason] | [2, message]`. The isolate is untrusted and its answer a structured
 * clone, which can carry more than JSON (BigInt, Map, cycles): an entry that is malformed or not
 * plain JSON data is an error for its event; an answer of the wrong length fails the whole call.
 *
 * @throws {PluginCallError} kind `error`, hook `enrich`, when the answer is not such a list.
 */
export function decodeOutcomes(answer: unknown, count: number): EnrichOutcome[] {
  if (!Array.isArray(answer) || answer.length !== count) {
    throw new PluginCallError('error', 'enrich', 'enrich answered with a malformed batch');
  }
  return (answer as unknown[]).map(decodeOne);
}

function decodeOne(entry: unknown): EnrichOutcome {
  if (Array.isArray(entry)) {
    const [tag, value] = entry as [unknown, unknown];
    if (tag === 0 && isPlainObject(value) && isJsonData(value, 0)) {
      return { kind: 'ok', event: value as unknown as TrackingEvent };
    }
    if (tag === 1 && typeof value === 'string') return { kind: 'drop', reason: value };
    if (tag === 2 && typeof value === 'string') return { kind: 'error', message: value };
  }
  return { kind: 'error', message: 'enrich answered with a malformed outcome' };
}

/**
 * Reads what an isolate answered for `count` narrowed events (see `isolate-fields.ts`): a JSON
 * string of one outcome per event, `[3, enrichment | null, changes]`, `[1, reason]` or
 * `[2, message]`. Parsed JSON is JSON data by construction; the shape is still checked, as the
 * isolate is untrusted, and what the changes hold is checked where they are applied
 * (`fields.applyChanges`).
 *
 * @throws {PluginCallError} kind `error`, hook `enrich`, when it is not a list of `count`.
 */
export function decodeFieldAnswer(answer: unknown, count: number): FieldOutcome[] {
  let parsed: unknown;
  try {
    parsed = typeof answer === 'string' ? JSON.parse(answer) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== count) {
    throw new PluginCallError('error', 'enrich', 'enrich answered with a malformed batch');
  }
  return (parsed as unknown[]).map((entry): FieldOutcome => {
    if (Array.isArray(entry) && entry[0] === 3 && Array.isArray(entry[2])) {
      const changes = entry[2] as unknown[];
      if (changes.every(isChange)) {
        return {
          kind: 'ok',
          changes: { enrichment: entry[1] as FieldChanges['enrichment'], changes },
        };
      }
    }
    return Array.isArray(entry) && entry[0] !== 0
      ? (decodeOne(entry) as FieldOutcome)
      : { kind: 'error', message: 'enrich answered with a malformed outcome' };
  });
}

function isChange(change: unknown): change is FieldChanges['changes'][number] {
  return (
    Array.isArray(change) &&
    (change.length === 1 || change.length === 2) &&
    Number.isInteger(change[0])
  );
}

const MAX_DEPTH = 64;

/**
 * JSON data (plus `undefined`, which JSON drops): what an event may hold. Plain loops: the host
 * runs this over every event an isolated plugin chain answers.
 */
export function isJsonData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isJsonData(value[i], depth + 1)) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key in value) {
        if (!isJsonData(value[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
