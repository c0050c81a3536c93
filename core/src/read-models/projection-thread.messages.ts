import type { AppendOptions, AppendResult, EventToAppend } from '@uspa/sdk';
import type { ProfileChange } from '@uspa/projections';
import type { CommitSummary } from '../adapters/sqlite/append-signal.js';
import type { TransferredError } from '../adapters/sqlite/store-error-transfer.js';

/** What the projection thread can be asked, by the name of the `ProjectionControl` method. */
export type ControlMethod =
  'statuses' | 'status' | 'rebuild' | 'deadLettersPending' | 'deadLettersReplay' | 'waitFor';

/** An error that crossed the thread: `UnknownProjectionError` is told apart, for a 404. */
export interface ThreadError {
  name: string;
  message: string;
  projection?: string;
}

/** From the serving thread to the projection thread. */
export type ToProjectionThread =
  | { kind: 'committed'; commit: CommitSummary }
  | { kind: 'call'; id: number; method: ControlMethod; args: unknown[] }
  | { kind: 'appended'; id: number; result: AppendResult }
  | { kind: 'appendFailed'; id: number; error: TransferredError }
  | { kind: 'stop' };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** From the projection thread to the serving thread. */
export type FromProjectionThread =
  | { kind: 'started' }
  | { kind: 'startFailed'; message: string }
  | {
      kind: 'append';
      id: number;
      streamId: string;
      events: readonly EventToAppend[];
      options: AppendOptions | undefined;
    }
  | { kind: 'answer'; id: number; value: unknown }
  | { kind: 'answerFailed'; id: number; error: ThreadError }
  | { kind: 'decided'; changes: readonly ProfileChange[]; refs: readonly number[] }
  /** A committed batch's changes: a number stands for a change sent as decided with that ref. */
  | { kind: 'published'; changes: readonly (ProfileChange | number)[] }
  | { kind: 'log'; level: LogLevel; details: Record<string, unknown>; message: string }
  | { kind: 'stopped' };
