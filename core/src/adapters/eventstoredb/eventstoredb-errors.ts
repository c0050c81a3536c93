import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
  isCommandError,
} from '@eventstore/db-client';
import {
  EventTooLargeError,
  StreamTombstonedError,
  UspaError,
  WrongExpectedRevisionError,
} from '../../errors/index.js';
import type { ExpectedRevision } from '../../ports/event-store.port.js';

/**
 * Turns a failed append into the port's errors. A StreamDeletedError means tombstoned except for a
 * `stream_exists` append to a soft-deleted stream: the caller tells those apart by reading the
 * stream (see `EventStoreDbStreams.append`).
 */
export function toAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  appendBytes: number,
): unknown {
  error = normalise(error);
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      streamId,
      expected,
      toActualRevision(error.actualVersion),
    );
  }
  if (error instanceof StreamDeletedError) return new StreamTombstonedError(streamId);
  if (error instanceof MaxAppendSizeExceededError) {
    // The server bounds a whole append (MaxAppendSize, 1 MiB by default), not each event.
    return new EventTooLargeError(streamId, appendBytes, error.maxAppendSize);
  }
  return toStoreError(error);
}

/** `actualVersion` is a bigint revision or `no_stream`; servers report a missing stream as -1. */
export function toActualRevision(actual: bigint | 'no_stream'): number | 'no_stream' {
  if (actual === 'no_stream' || actual < 0n) return 'no_stream';
  return Number(actual);
}

/** Connection-level failures: the outcome of a write is unknown and the caller may retry. */
export function isTransient(error: unknown): boolean {
  error = normalise(error);
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  );
}

/**
 * Whether a failed `$all` read from a position may mean the position is not the start of a log
 * record. Servers before 23.10 answer that with an unspecific error (`ReadAllResult.Error`),
 * later ones with InvalidPosition; neither has a client class of its own in 6.x, so everything
 * but transport and permission failures counts.
 */
export function mayBeInvalidPosition(error: unknown): boolean {
  error = normalise(error);
  return (
    error instanceof Error &&
    isCommandError(error) &&
    !isTransient(error) &&
    !(error instanceof AccessDeniedError)
  );
}

/** Transport failures become a 503 of our hierarchy; anything else keeps its own type. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof UspaError || !isTransient(error)) return error;
  error = normalise(error);
  return new UspaError(
    'store_unavailable',
    503,
    `EventStoreDB is unavailable: ${(error as Error).message}`,
    undefined,
    { cause: error },
  );
}

/**
 * Some paths of the client (its server-features probe before the first append, for one) reject
 * with the raw gRPC error; the client's own converter gives it the class the others have.
 */
function normalise(error: unknown): unknown {
  return error instanceof Error ? convertToCommandError(error) : error;
}
