import { UspaError } from './uspa-error.js';
import type { ExpectedRevision } from '../ports/event-store.port.js';

/** An append's expected revision did not match the stream's current one. */
export class WrongExpectedRevisionError extends UspaError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      'wrong_expected_revision',
      409,
      `Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`,
      { streamId, expected: String(expected), actual: String(actual) },
    );
  }
}

/** The stream was hard-deleted (tombstoned): it can never be written or read again. */
export class StreamTombstonedError extends UspaError {
  constructor(readonly streamId: string) {
    super('stream_tombstoned', 410, `Stream ${streamId} is tombstoned`, { streamId });
  }
}

/** An event exceeds the store's size limit; nothing of the append was written. */
export class EventTooLargeError extends UspaError {
  constructor(streamId: string, bytes: number, limit: number) {
    super(
      'event_too_large',
      413,
      `An event for stream ${streamId} is ${bytes} bytes; the limit is ${limit}`,
      { streamId, bytes, limit },
    );
  }
}

/** An event cannot be stored as given (not JSON-serialisable, bad id, bad type); nothing was written. */
export class InvalidEventError extends UspaError {
  constructor(message: string, details?: Readonly<Record<string, unknown>>) {
    super('invalid_event', 400, message, details);
  }
}
