import {
  ANY,
  NO_STREAM,
  type ExpectedRevision as EsdbExpectedRevision,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { UspaError } from '../../errors/index.js';
import type {
  EventMetadata,
  ExpectedRevision,
  RecordedEvent,
} from '../../ports/event-store.port.js';

/**
 * Streams of the idempotency guard (one per event id, see `idempotent-append.ts`). The prefix is
 * reserved: the adapter refuses to write user streams that start with it and hides them from reads.
 */
export const CLAIM_STREAM_PREFIX = 'uspa-eventid-';

/** The stream `$all` readers never show: system streams (`$…`) and the claim streams. */
export function isHiddenStream(streamId: string): boolean {
  return streamId.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX);
}

/** System events (`$metadata`, `$streamDeleted` tombstones, ...) can sit in user streams too. */
export function isVisible(streamId: string, type: string): boolean {
  return !isHiddenStream(streamId) && !type.startsWith('$');
}

/**
 * Appends and deletes send `any`, `no_stream` or a number. `stream_exists` never goes out as
 * such: appends are fenced by an exact revision (fenced-append.ts) and the client's delete has
 * no STREAM_EXISTS, so the store turns it into the revision it read.
 */
export function toClientRevision(
  expected: Exclude<ExpectedRevision, 'stream_exists'>,
): EsdbExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return toRevision(expected);
}

function toRevision(revision: number): bigint {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new UspaError('invalid_revision', 400, `Expected revision ${revision} is not a revision`);
  }
  return BigInt(revision);
}

/**
 * The port's global position is the commit position of the event's log record.
 *
 * Why one number is enough: EventStoreDB 20.x+ writes every event of a gRPC append as its own
 * prepare record flagged `IsCommitted` (StorageWriterService.WritePrepares), and `$all` readers
 * report such an event at `TFPos(prepare.LogPosition, prepare.LogPosition)` (AllReader), so
 * commit == prepare for every event. The append's own reply carries the commit position twice too
 * (RequestManager WriteEvents answers `CommitPosition, CommitPosition`), the log position of the
 * batch's last record. Only events written in explicit TCP-API transactions (removed in 24.x)
 * share a commit position; USPA never writes those.
 */
export function toPosition(position: number): Position {
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

export function fromPosition(position: Position): number {
  const value = Number(position.commit);
  // 2^53 bytes of transaction log is 9 PB: far beyond any single node, but check, never wrap.
  if (!Number.isSafeInteger(value)) {
    throw new UspaError('position_overflow', 500, `Position ${position.commit} exceeds 2^53`);
  }
  return value;
}

/** Stream reads carry positions only from EventStoreDB 22.6 on; before that the port sees -1. */
export const UNKNOWN_POSITION = -1;

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: event.position ? fromPosition(event.position) : UNKNOWN_POSITION,
    data: event.isJson ? event.data : decodeBinary(event.data),
    metadata: toMetadata(event.metadata),
    recordedAt: event.created,
  };
}

function toMetadata(metadata: unknown): EventMetadata {
  if (metadata instanceof Uint8Array) metadata = decodeBinary(metadata);
  // USPA writes a JSON object; events written by other tools may carry anything.
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return {};
  return metadata as EventMetadata;
}

// Events written by other tools as octet-stream may still hold JSON; otherwise keep the bytes.
function decodeBinary(bytes: unknown): unknown {
  if (!(bytes instanceof Uint8Array)) return bytes;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch {
    return bytes;
  }
}
