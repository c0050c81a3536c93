import type { Database, Statement } from 'better-sqlite3';
import type { EventFilter, RecordedEvent } from '../../ports/event-store.port.js';

/** Rows are read in raw (array) mode: noticeably faster than objects when catching up. */
export type EventRow = [
  position: number,
  id: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
];

export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row[1],
    type: row[4],
    streamId: row[2],
    revision: row[3],
    position: row[0],
    data: JSON.parse(row[5]) as unknown,
    metadata: JSON.parse(row[6]) as RecordedEvent['metadata'],
    recordedAt: new Date(row[7]),
  };
}

/** The SQL condition and its parameters for an {@link EventFilter}. */
export function filterClause(filter: EventFilter | undefined): { sql: string; params: string[] } {
  if (filter?.eventTypes) {
    const types = [...filter.eventTypes];
    if (types.length === 0) return { sql: '0', params: [] };
    // `+type` keeps SQLite on the position order: through the type index it would gather every
    // match of the remaining log and sort it for each page, which turns a catch-up quadratic.
    return { sql: `+type IN (${types.map(() => '?').join(', ')})`, params: types };
  }
  if (filter?.streamPrefixes) {
    const prefixes = [...filter.streamPrefixes];
    if (prefixes.length === 0) return { sql: '0', params: [] };
    // substr counts characters, so multi-byte prefixes compare exactly (LIKE would fold case).
    const sql = prefixes.map(() => 'substr(stream_id, 1, length(?)) = ?').join(' OR ');
    return { sql: `(${sql})`, params: prefixes.flatMap((prefix) => [prefix, prefix]) };
  }
  return { sql: '1', params: [] };
}

/**
 * Filtered statements differ only by the shape of their filter: prepare each shape once. Every
 * cached statement selects {@link EVENT_COLUMNS} and returns raw rows.
 */
export class EventQueries {
  readonly #statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  all(sql: string, ...params: unknown[]): EventRow[] {
    return this.#statement(sql).all(...params) as EventRow[];
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      if (this.#statements.size > 256) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
