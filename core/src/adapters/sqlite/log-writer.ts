import type { ExpectedRevision } from '../../ports/event-store.port.js';
import type { AppendRequest, CommittedBatch, SqliteEventLog } from './sqlite-event-log.js';

/** Where the embedded store's writes run: on this thread, or on a writer thread of their own. */
export interface LogWriter {
  /** One transaction for all the requests; each result is its request's own. */
  write(requests: readonly AppendRequest[]): Promise<CommittedBatch>;
  deleteStream(streamId: string, expected: ExpectedRevision, tombstone: boolean): Promise<void>;
  /** Throws when writes cannot be taken now (readiness asks). */
  check(): void;
  close(): Promise<void>;
}

/** Writes on the caller's thread: each commit's sync blocks the event loop while it lasts. */
export class InlineLogWriter implements LogWriter {
  constructor(private readonly log: SqliteEventLog) {}

  async write(requests: readonly AppendRequest[]): Promise<CommittedBatch> {
    return this.log.appendBatch(requests);
  }

  async deleteStream(streamId: string, expected: ExpectedRevision, tombstone: boolean) {
    this.log.deleteStream(streamId, expected, tombstone);
  }

  check(): void {}

  async close(): Promise<void> {}
}
