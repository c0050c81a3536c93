import type { Database, Statement } from 'better-sqlite3';
import type { EventFilter, RecordedEvent } from '../../ports/event-store.port.js';

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    recordedAt: new Date(row.recorded_at),
  };
}

/** The SQL condition and its parameters for an {@link EventFilter}. */
export function filterClause(filter: EventFilter | undefined): { sql: string; params: string[] } {
  if (filter?.eventTypes) {
    const types = [...filter.eventTypes];
    if (types.length === 0) return { sql: '0', params: [] };
    return { sql: `type IN (${types.map(() => '?').join(', ')})`, params: types };
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

/** Filtered statements differ only by the shape of their filter: prepare each shape once. */
export class StatementCache {
  readonly #statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  get(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.#statements.size > 256) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
