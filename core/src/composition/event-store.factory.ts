import { join, resolve } from 'node:path';
import type { UspaConfig } from '../config/config.js';
import type { CommitSummary } from '../adapters/sqlite/append-signal.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';

/**
 * Opens the configured event store. The EventStoreDB client (gRPC) is only loaded when it is
 * configured, so the embedded default starts fast and light. `logger` hears of the embedded
 * store's checkpointer and writer thread problems.
 */
export async function openEventStore(config: UspaConfig, logger?: Logger): Promise<EventStore> {
  const { eventStore } = config;
  if (eventStore.adapter === 'eventstoredb') {
    const { EventStoreDbEventStore } =
      await import('../adapters/eventstoredb/eventstoredb-event-store.js');
    return new EventStoreDbEventStore({ connectionString: eventStore.eventstoredb.url ?? '' });
  }
  const { SqliteEventStore } = await import('../adapters/sqlite/sqlite-event-store.js');
  return new SqliteEventStore({
    file: eventLogFile(config),
    synchronous: eventStore.sqlite.synchronous,
    pollIntervalMs: eventStore.sqlite.pollIntervalMs,
    checkpoints: { onProblem: (problem) => logger?.warn({}, problem) },
    onProblem: (problem) => logger?.warn({}, problem),
  });
}

/** The embedded event log's file. */
export function eventLogFile(config: UspaConfig): string {
  return join(resolve(config.dataDir), 'events.db');
}

/** A store that tells what each of its commits wrote (the embedded one). */
export interface CommitNotices {
  onCommit(listener: (commit: CommitSummary) => void): () => void;
}

export function tellsCommits(store: EventStore): store is EventStore & CommitNotices {
  return typeof (store as Partial<CommitNotices>).onCommit === 'function';
}
