import { randomUUID } from 'node:crypto';
import { EventTooLargeError, InvalidEventError } from '../../errors/index.js';
import { MAX_EVENT_BYTES, type EventToAppend } from '../../ports/event-store.port.js';

/** An event validated and turned into the JSON text every adapter stores. */
export interface SerialisedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 512;

/**
 * Validates and serialises every event of an append before anything is written, so a bad event
 * fails the whole call with a typed error and leaves the store untouched.
 */
export function serialiseEvents(
  streamId: string,
  events: readonly EventToAppend[],
  maxBytes = MAX_EVENT_BYTES,
): SerialisedEvent[] {
  assertStreamId(streamId);
  if (!isNonEmptyList(events)) {
    throw new InvalidEventError(`An append to ${streamId} needs at least one event`);
  }
  return events.map((event, index) => serialiseEvent(streamId, event, index, maxBytes));
}

function isNonEmptyList(events: unknown): events is readonly EventToAppend[] {
  return Array.isArray(events) && events.length > 0;
}

export function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > MAX_NAME_LENGTH) {
    throw new InvalidEventError('A stream id must be a non-empty string of at most 512 characters');
  }
  // `$` starts the system streams of EventStoreDB; keeping them out makes adapters interchangeable.
  if (streamId.startsWith('$')) {
    throw new InvalidEventError(`Stream id ${streamId} is reserved (starts with $)`);
  }
}

function serialiseEvent(
  streamId: string,
  event: EventToAppend,
  index: number,
  maxBytes: number,
): SerialisedEvent {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidEventError(`Event ${index} is not an object`, { index });
  }
  const id = event.id ?? randomUUID();
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new InvalidEventError(`Event ${index} has an id that is not a UUID`, { index });
  }
  const { type } = event;
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_NAME_LENGTH) {
    throw new InvalidEventError(`Event ${index} needs a type of 1 to 512 characters`, { index });
  }
  const data = toJson(event.data, index, 'data');
  const metadata = toJson(event.metadata ?? {}, index, 'metadata');
  // A JS string of n UTF-16 units is at most 3n UTF-8 bytes: only measure when it could matter.
  const units = data.length + metadata.length;
  if (units * 3 > maxBytes) {
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (bytes > maxBytes) throw new EventTooLargeError(streamId, bytes, maxBytes);
  }
  return { id: id.toLowerCase(), type, data, metadata };
}

function toJson(value: unknown, index: number, field: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // Circular structures and BigInts end up here.
    throw new InvalidEventError(`Event ${index} ${field} is not JSON-serialisable`, {
      index,
      field,
      reason: (error as Error).message,
    });
  }
  if (json === undefined) {
    throw new InvalidEventError(`Event ${index} ${field} is not JSON-serialisable`, {
      index,
      field,
    });
  }
  return json;
}
