import type { Database, Statement } from 'better-sqlite3';
import {
  StreamTombstonedError,
  UspaError,
  WrongExpectedRevisionError,
} from '../../errors/index.js';
import {
  DEFAULT_READ_COUNT,
  type AppendResult,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type EventFilter,
} from '../../ports/event-store.port.js';
import type { SerialisedEvent } from '../shared/serialised-event.js';
import { STREAM_ACTIVE, STREAM_DELETED, STREAM_TOMBSTONED } from './sqlite-schema.js';
import { EVENT_COLUMNS, EventQueries, filterClause, toRecordedEvent } from './sqlite-queries.js';

export interface AppendRequest {
  streamId: string;
  events: SerialisedEvent[];
  expectedRevision: ExpectedRevision;
}

/** What one group commit wrote: each request's own result, and the positions it took. */
export interface CommittedBatch {
  results: (AppendResult | UspaError)[];
  /**
   * The log's head before and after the commit. The write lock was held in between, so every
   * position in (`after`, `through`] belongs to this commit and to no other writer.
   */
  positions: CommitPositions;
}

export interface CommitPositions {
  after: number;
  through: number;
}

interface StreamRow {
  revision: number;
  state: number;
}

interface StoredPointer {
  stream_id: string;
  revision: number;
  position: number;
}

/**
 * The synchronous heart of the embedded event store: every statement, no scheduling. One
 * instance owns one connection; {@link SqliteEventStore} decides when its methods run.
 */
export class SqliteEventLog {
  readonly #queries: EventQueries;
  readonly #getStream: Statement<[string], StreamRow>;
  readonly #upsertStream: Statement<[string, number, number]>;
  readonly #insert: Statement<[string, string, number, string, string, string, number]>;
  readonly #findById: Statement<[string], StoredPointer>;
  readonly #deleteEvents: Statement<[string]>;
  readonly #head: Statement<[], { head: number | null }>;
  readonly #readAfter: (
    after: number,
    filter: EventFilter | undefined,
    limit: number,
  ) => { events: RecordedEvent[]; scannedTo: number };
  readonly #applyBatch: (requests: readonly AppendRequest[], now: number) => CommittedBatch;

  constructor(private readonly db: Database) {
    this.#queries = new EventQueries(db);
    this.#getStream = db.prepare('SELECT revision, state FROM streams WHERE stream_id = ?');
    this.#upsertStream = db.prepare(
      `INSERT INTO streams (stream_id, revision, state) VALUES (?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
    );
    // An event whose id is stored already is skipped, not an error: that is how retries are
    // absorbed without a savepoint per append (a savepoint journals every page it touches).
    this.#insert = db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.#findById = db.prepare('SELECT stream_id, revision, position FROM events WHERE id = ?');
    this.#deleteEvents = db.prepare('DELETE FROM events WHERE stream_id = ?');
    this.#head = db.prepare('SELECT max(position) AS head FROM events');
    const batch = db.transaction((requests: readonly AppendRequest[], now: number) => {
      const after = this.head();
      const results = requests.map((request) => this.#appendOne(request, now));
      return { results, positions: { after, through: this.head() } };
    });
    // IMMEDIATE takes the write lock up front: no deadlock when another process writes too.
    this.#applyBatch = (requests, now) => batch.immediate(requests, now);
    this.#readAfter = db.transaction(
      (after: number, filter: EventFilter | undefined, limit: number) =>
        this.#readAfterInSnapshot(after, filter, limit),
    );
  }

  /**
   * Applies many appends in one transaction and one sync (group commit). Each append succeeds or
   * fails on its own; an error of the database itself fails them all.
   */
  appendBatch(requests: readonly AppendRequest[]): CommittedBatch {
    return this.#applyBatch(requests, Date.now());
  }

  /** Checks and writes one append; its failure is returned, so the others of the batch go on. */
  #appendOne(request: AppendRequest, now: number): AppendResult | UspaError {
    const { streamId, events, expectedRevision } = request;
    const stream = this.#getStream.get(streamId);
    const problem = expectationProblem(streamId, stream, expectedRevision);
    // A retry of a stored append meets a stale expectation: answer as the first time.
    if (problem) return this.#originalResult(events) ?? problem;
    let revision = stream ? stream.revision : -1;
    let position = -1;
    for (const event of events) {
      const info = this.#insert.run(
        event.id,
        streamId,
        revision + 1,
        event.type,
        event.data,
        event.metadata,
        now,
      );
      if (info.changes === 1) {
        revision += 1;
        position = Number(info.lastInsertRowid);
      }
    }
    if (position === -1) {
      return this.#originalResult(events) ?? new UspaError('internal_error', 500, 'Lost event');
    }
    this.#upsertStream.run(streamId, revision, STREAM_ACTIVE);
    return { nextExpectedRevision: revision, position };
  }

  /** The result of the first append of these events, if every one of them is stored. */
  #originalResult(events: readonly SerialisedEvent[]): AppendResult | undefined {
    let last: StoredPointer | undefined;
    for (const event of events) {
      last = this.#findById.get(event.id);
      if (!last) return undefined;
    }
    return last && { nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): ReadStreamResult {
    const stream = this.#getStream.get(streamId);
    if (stream?.state === STREAM_TOMBSTONED) return { status: 'tombstoned', events: [] };
    if (!stream || stream.state === STREAM_DELETED) return { status: 'not_found', events: [] };
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision ${
      backwards ? '<=' : '>='
    } ? ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.#queries.all(sql, streamId, from, options.maxCount ?? DEFAULT_READ_COUNT);
    return { status: 'ok', events: rows.map(toRecordedEvent) };
  }

  readAll(options: ReadAllOptions = {}): RecordedEvent[] {
    const backwards = options.direction === 'backwards';
    const bound = backwards
      ? (options.before ?? Number.MAX_SAFE_INTEGER)
      : (options.after ?? Number.MIN_SAFE_INTEGER);
    const where = filterClause(options.filter);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position ${
      backwards ? '<' : '>'
    } ? AND ${where.sql} ORDER BY position ${backwards ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.#queries.all(
      sql,
      bound,
      ...where.params,
      options.maxCount ?? DEFAULT_READ_COUNT,
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Reads matching events after `after`, and how far the log was scanned. The head is read in the
   * same snapshot as the events, so everything up to it is either returned or known not to match:
   * SQLite serialises writers, so no transaction can later commit a lower position.
   */
  readAfter(
    after: number,
    filter: EventFilter | undefined,
    limit: number,
  ): { events: RecordedEvent[]; scannedTo: number } {
    return this.#readAfter(after, filter, limit);
  }

  #readAfterInSnapshot(after: number, filter: EventFilter | undefined, limit: number) {
    const head = this.head();
    if (head <= after) return { events: [], scannedTo: after };
    const where = filterClause(filter);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ?
      AND ${where.sql} ORDER BY position LIMIT ?`;
    const rows = this.#queries.all(sql, after, head, ...where.params, limit);
    const last = rows[rows.length - 1];
    const scannedTo = rows.length === limit && last ? last[0] : head;
    return { events: rows.map(toRecordedEvent), scannedTo };
  }

  head(): number {
    return this.#head.get()?.head ?? 0;
  }

  /** Removes the stream's events; soft-deleted streams may be written again, tombstoned never. */
  deleteStream(streamId: string, expectedRevision: ExpectedRevision, tombstone: boolean): void {
    this.db
      .transaction(() => {
        const stream = this.#getStream.get(streamId);
        const problem = expectationProblem(streamId, stream, expectedRevision);
        if (problem) throw problem;
        this.#deleteEvents.run(streamId);
        this.#upsertStream.run(
          streamId,
          stream?.revision ?? -1,
          tombstone ? STREAM_TOMBSTONED : STREAM_DELETED,
        );
      })
      .immediate();
    // The WAL still holds the pages as they were; fold it into the database and empty it. Busy
    // readers may keep a part of it until the next checkpoint.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

function expectationProblem(
  streamId: string,
  stream: StreamRow | undefined,
  expected: ExpectedRevision,
): UspaError | undefined {
  if (stream?.state === STREAM_TOMBSTONED) return new StreamTombstonedError(streamId);
  const live = stream !== undefined && stream.state === STREAM_ACTIVE;
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && !live) ||
    (expected === 'stream_exists' && live) ||
    (typeof expected === 'number' && stream !== undefined && stream.revision === expected);
  return ok
    ? undefined
    : new WrongExpectedRevisionError(streamId, expected, live ? stream.revision : 'no_stream');
}
