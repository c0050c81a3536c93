import {
  StreamTombstonedError,
  UspaError,
  WrongExpectedRevisionError,
} from '../../errors/index.js';
import type { ExpectedRevision } from '../../ports/event-store.port.js';

/** An error as it crosses from the writer thread: plain data, class restored on arrival. */
export interface TransferredError {
  transferred: 'error';
  code: string;
  status: number;
  message: string;
  details?: Readonly<Record<string, unknown>>;
  streamId?: string;
  expected?: ExpectedRevision;
  actual?: number | 'no_stream';
}

export function transferError(error: unknown): TransferredError {
  if (error instanceof UspaError) {
    const { code, status, message, details } = error;
    const extra = error as Partial<WrongExpectedRevisionError>;
    return {
      transferred: 'error',
      code,
      status,
      message,
      details,
      streamId: extra.streamId,
      expected: extra.expected,
      actual: extra.actual,
    };
  }
  return {
    transferred: 'error',
    code: 'store_failed',
    status: 503,
    message: error instanceof Error ? error.message : String(error),
  };
}

export function isTransferredError(value: unknown): value is TransferredError {
  return (value as TransferredError | null)?.transferred === 'error';
}

/** The error the caller would have got had the write run on its own thread. */
export function restoreError(error: TransferredError): UspaError {
  if (error.code === 'wrong_expected_revision' && error.streamId !== undefined) {
    return new WrongExpectedRevisionError(error.streamId, error.expected!, error.actual!);
  }
  if (error.code === 'stream_tombstoned' && error.streamId !== undefined) {
    return new StreamTombstonedError(error.streamId);
  }
  return new UspaError(error.code, error.status, error.message, error.details);
}
