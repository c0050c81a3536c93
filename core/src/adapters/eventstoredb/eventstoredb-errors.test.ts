import {
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  EventTooLargeError,
  StreamTombstonedError,
  UspaError,
  WrongExpectedRevisionError,
} from '../../errors/index.js';
import {
  isTransient,
  mayBeInvalidPosition,
  toActualRevision,
  toAppendError,
  toStoreError,
} from './eventstoredb-errors.js';

const wrongVersion = (current: bigint | 'no_stream') =>
  new WrongExpectedVersionError(undefined, { streamName: 'order-1', expected: 1n, current });

describe('append errors', () => {
  it('turns a wrong expected version into ours, with the actual revision', () => {
    const error = toAppendError(wrongVersion(2n), 'order-1', 1, 10);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'order-1', expected: 1, actual: 2, status: 409 });
  });

  it('reports a missing stream as no_stream, whichever way the server says it', () => {
    const byName = toAppendError(wrongVersion('no_stream'), 'order-1', 'stream_exists', 10);
    expect(byName).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision(0n)).toBe(0);
  });

  it('turns a deleted stream into a tombstone and an oversized append into a 413', () => {
    const deleted = toAppendError(StreamDeletedError.fromStreamName('t-1'), 't-1', 'any', 10);
    expect(deleted).toBeInstanceOf(StreamTombstonedError);
    const large = toAppendError(
      MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576),
      'b',
      'any',
      2e6,
    );
    expect(large).toBeInstanceOf(EventTooLargeError);
    expect(large).toMatchObject({ status: 413, details: { bytes: 2e6, limit: 1_048_576 } });
  });

  it('turns transport failures into a 503 of our hierarchy and leaves others alone', () => {
    const unavailable = new UnavailableError(undefined, 'connection refused');
    const mapped = toStoreError(unavailable);
    expect(mapped).toBeInstanceOf(UspaError);
    expect(mapped).toMatchObject({ code: 'store_unavailable', status: 503, cause: unavailable });
    const denied = new AccessDeniedError();
    expect(toStoreError(denied)).toBe(denied);
  });
});

describe('error classes', () => {
  it('knows which failures leave the outcome of a write unknown', () => {
    expect(isTransient(new UnavailableError())).toBe(true);
    expect(isTransient(new UnknownError())).toBe(false);
    expect(isTransient(wrongVersion(1n))).toBe(false);
  });

  it('suspects an invalid position only for server answers, not for transport or permissions', () => {
    expect(mayBeInvalidPosition(new UnknownError())).toBe(true);
    expect(mayBeInvalidPosition(new UnavailableError())).toBe(false);
    expect(mayBeInvalidPosition(new AccessDeniedError())).toBe(false);
    expect(mayBeInvalidPosition(new Error('bug'))).toBe(false);
  });
});
