import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type EventStoreDBClient,
  type JSONType,
} from '@eventstore/db-client';
import { StreamTombstonedError, WrongExpectedRevisionError } from '../../errors/index.js';
import {
  DEFAULT_READ_COUNT,
  type AppendResult,
  type ExpectedRevision,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
} from '../../ports/event-store.port.js';
import type {
  ClaimEntry,
  ExactRevision,
  PreparedEvent,
  StoredEvent,
  TargetStreams,
} from './event-id-claims.js';
import { toActualRevision, toAppendError, toStoreError } from './eventstoredb-errors.js';
import {
  UNKNOWN_POSITION,
  fromPosition,
  toClientRevision,
  toRecordedEvent,
} from './eventstoredb-mapping.js';

const utf8 = new TextEncoder();
/** Server clocks of cluster nodes may differ a little; a claim search looks this much further. */
const CLOCK_MARGIN_MS = 60_000;

/** User streams: appends, reads and deletes mapped onto the client and the port's errors. */
export class EventStoreDbStreams implements TargetStreams {
  constructor(private readonly client: EventStoreDBClient) {}

  async head(streamId: string): Promise<ExactRevision> {
    const { status, events } = await this.read(streamId, { direction: 'backwards', maxCount: 1 });
    if (status === 'tombstoned') throw new StreamTombstonedError(streamId);
    return events[0]?.revision ?? 'no_stream';
  }

  /**
   * An append at an exact revision. Never `stream_exists`, which the server would also refuse as
   * "deleted" for a soft-deleted stream: here a deleted stream is always a tombstone.
   */
  async append(
    streamId: string,
    events: readonly PreparedEvent[],
    at: ExactRevision,
    deadlineMs: number,
  ): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toClientRevision(at),
        deadline: deadlineMs,
      });
      const revision = Number(result.nextExpectedRevision);
      // A write the server recognised as a retry may come back without a position.
      const position = result.position
        ? fromPosition(result.position)
        : await this.positionOf(streamId, revision);
      return { nextExpectedRevision: revision, position };
    } catch (error) {
      const bytes = events.reduce(
        (sum, e) => sum + Buffer.byteLength(e.data) + Buffer.byteLength(e.metadata),
        0,
      );
      throw toAppendError(error, streamId, at, bytes);
    }
  }

  async range(
    streamId: string,
    from: number,
    to: number,
  ): Promise<{ id: string; stored: StoredEvent }[]> {
    if (to < from) return [];
    const { events } = await this.read(streamId, { fromRevision: from, maxCount: to - from + 1 });
    return events.map((event) => ({
      id: event.id,
      stored: { kind: 'stored', streamId, revision: event.revision, position: event.position },
    }));
  }

  async read(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const backwards = options.direction === 'backwards';
    const { fromRevision } = options;
    const maxCount = options.maxCount ?? DEFAULT_READ_COUNT;
    // The embedded store answers these with no events; the client would refuse them.
    const empty = maxCount <= 0 || (backwards && fromRevision !== undefined && fromRevision < 0);
    const stream = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision:
        fromRevision !== undefined && fromRevision >= 0
          ? BigInt(fromRevision)
          : backwards
            ? END
            : START,
      maxCount: empty ? 1 : maxCount,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of stream) {
        if (event && !empty) events.push(toRecordedEvent(event));
      }
      return { status: 'ok', events };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { status: 'not_found', events: [] };
      if (error instanceof StreamDeletedError) return { status: 'tombstoned', events: [] };
      throw toStoreError(error);
    }
  }

  async find(
    streamId: string,
    eventId: string,
    since: ClaimEntry,
  ): Promise<StoredEvent | undefined> {
    const notBefore = since.recordedAt.getTime() - CLOCK_MARGIN_MS;
    const stream = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END });
    stream.on('error', () => undefined);
    try {
      for await (const { event } of stream) {
        if (!event) continue;
        const position = event.position ? fromPosition(event.position) : UNKNOWN_POSITION;
        if (event.id === eventId) {
          return { kind: 'stored', streamId, revision: Number(event.revision), position };
        }
        // Events are newest first; the claimed event can only have been written after its claim.
        const older =
          position >= 0 && since.position >= 0
            ? position < since.position
            : event.created.getTime() < notBefore;
        if (older) return undefined;
      }
      return undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError)
        return undefined;
      throw toStoreError(error);
    } finally {
      await stream.cancel().catch(() => undefined);
    }
  }

  async positionOf(streamId: string, revision: number): Promise<number> {
    const { events } = await this.read(streamId, { fromRevision: revision, maxCount: 1 });
    const event = events[0];
    return event?.revision === revision ? event.position : UNKNOWN_POSITION;
  }

  /** Soft delete or tombstone; `stream_exists`, which the client lacks, becomes a revision. */
  async delete(streamId: string, expected: ExpectedRevision, tombstone: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let revision: Exclude<ExpectedRevision, 'stream_exists'> = expected as ExactRevision;
      if (expected === 'stream_exists') {
        revision = await this.head(streamId);
        if (revision === 'no_stream') {
          throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
        }
      }
      try {
        const options = { expectedRevision: toClientRevision(revision) };
        await (tombstone
          ? this.client.tombstoneStream(streamId, options)
          : this.client.deleteStream(streamId, options));
        return;
      } catch (error) {
        if (error instanceof StreamDeletedError) throw new StreamTombstonedError(streamId);
        if (!(error instanceof WrongExpectedVersionError)) throw toStoreError(error);
        const actual = toActualRevision(error.actualVersion);
        // An append moved the stream on between our read and the delete: look again.
        if (expected === 'stream_exists' && actual !== 'no_stream' && attempt < 3) continue;
        // The server refuses to soft-delete a stream that was never written; the embedded store
        // accepts it, and either way the stream reads as not found.
        if (
          !tombstone &&
          actual === 'no_stream' &&
          (expected === 'any' || expected === 'no_stream')
        ) {
          return;
        }
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
    }
  }
}

/** Data goes as the caller's value (the client serialises it); metadata as the bytes we checked. */
function toEventData(event: PreparedEvent): EventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: event.value as JSONType,
    metadata: utf8.encode(event.metadata),
  };
}
