import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type EventStoreDBClient,
  type ReadPosition,
} from '@eventstore/db-client';
import type { Direction } from '../../ports/event-store.port.js';
import { InvalidLogPositionError, type AllLog, type LogRecord, type LogStart } from './all-log.js';
import { mayBeInvalidPosition, toStoreError } from './eventstoredb-errors.js';
import { fromPosition, toPosition, toRecordedEvent } from './eventstoredb-mapping.js';

export function toReadPosition(from: LogStart): ReadPosition {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return toPosition(from);
}

/**
 * `$all` read through one streaming call per iteration: the server pages it under gRPC flow
 * control, so a caller that stops early (maxCount reached, filter satisfied) costs one cancel,
 * not a guess at a page size.
 */
export class EventStoreDbAllLog implements AllLog {
  constructor(private readonly client: EventStoreDBClient) {}

  async *read(from: LogStart, direction: Direction): AsyncGenerator<LogRecord> {
    const stream = this.client.readAll({
      fromPosition: toReadPosition(from),
      direction: direction === 'backwards' ? BACKWARDS : FORWARDS,
      resolveLinkTos: false,
    });
    // Errors reach the loop through the iterator; this listener only keeps a late error (after
    // the loop was left) from becoming an uncaught 'error' event.
    stream.on('error', () => undefined);
    let answered = false;
    try {
      for await (const resolved of stream) {
        answered = true;
        const event = resolved.event;
        if (!event) continue;
        yield {
          position: fromPosition(event.position),
          streamId: event.streamId,
          type: event.type,
          toEvent: () => toRecordedEvent(event),
        };
      }
    } catch (error) {
      if (!answered && typeof from === 'number' && mayBeInvalidPosition(error)) {
        throw new InvalidLogPositionError(from, { cause: error });
      }
      throw toStoreError(error);
    } finally {
      await stream.cancel().catch(() => undefined);
    }
  }
}
