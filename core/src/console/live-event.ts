import type { RecordedEvent } from '../ports/event-store.port.js';
import { nameOf } from './log-tally.js';

/** Event data larger than this (as JSON) is replaced by its size: a live view shows the flow. */
export const LIVE_DATA_LIMIT = 16 * 1024;
const MAX_FILTER_VALUES = 100;

/** One event as the console's live view receives it (`live-event`). */
export interface LiveEvent {
  id: string;
  type: string;
  streamId: string;
  position: number;
  recordedAt: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

/** What a console asked to see (`filter`); an absent field lets everything through. */
export interface LiveFilter {
  types?: ReadonlySet<string>;
  names?: ReadonlySet<string>;
  writeKeyId?: string;
}

/**
 * The event as sent to consoles, data over {@link LIVE_DATA_LIMIT} bytes replaced by
 * `{ truncated: true, bytes }`.
 */
export function toLiveEvent(event: RecordedEvent): LiveEvent {
  const json = JSON.stringify(event.data) ?? 'null';
  const bytes = Buffer.byteLength(json);
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    data: bytes > LIVE_DATA_LIMIT ? { truncated: true, bytes } : event.data,
    metadata: event.metadata,
  };
}

export function passes(filter: LiveFilter, event: RecordedEvent): boolean {
  if (filter.types && !filter.types.has(event.type)) return false;
  if (filter.writeKeyId !== undefined && event.metadata.writeKeyId !== filter.writeKeyId) {
    return false;
  }
  if (filter.names) {
    const name = nameOf(event);
    if (name === undefined || !filter.names.has(name)) return false;
  }
  return true;
}

/**
 * The filter a console sent, checked: it comes from the browser. Empty lists and empty strings
 * mean "no filter on this"; anything malformed is undefined.
 */
export function parseLiveFilter(input: unknown): LiveFilter | undefined {
  if (input === null || input === undefined) return {};
  if (typeof input !== 'object' || Array.isArray(input)) return undefined;
  const { types, names, writeKeyId } = input as Record<string, unknown>;
  const typeSet = stringSet(types);
  const nameSet = stringSet(names);
  if (typeSet === null || nameSet === null) return undefined;
  if (writeKeyId !== undefined && typeof writeKeyId !== 'string') return undefined;
  return {
    ...(typeSet && { types: typeSet }),
    ...(nameSet && { names: nameSet }),
    ...(writeKeyId && { writeKeyId }),
  };
}

/** A set of the strings, undefined for none, null when not a list of at most 100 strings. */
function stringSet(value: unknown): ReadonlySet<string> | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > MAX_FILTER_VALUES) return null;
  if (!value.every((item) => typeof item === 'string')) return null;
  return value.length === 0 ? undefined : new Set(value);
}
