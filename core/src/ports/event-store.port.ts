/**
 * The event log: the single source of truth of USPA. Every adapter (embedded SQLite, EventStoreDB)
 * implements this port and runs the shared contract suite in `testing/event-store.contract.ts`.
 */
import type {
  ExpectedRevision,
  EventMetadata,
  EventToAppend,
  RecordedEvent,
  AppendOptions,
  AppendResult,
  Direction,
  ReadStreamOptions,
  StreamStatus,
  ReadStreamResult,
  EventFilter,
  ReadAllOptions,
  SubscribeOptions,
  EventSubscription,
} from '@uspa/sdk';

export type {
  ExpectedRevision,
  EventMetadata,
  EventToAppend,
  RecordedEvent,
  AppendOptions,
  AppendResult,
  Direction,
  ReadStreamOptions,
  StreamStatus,
  ReadStreamResult,
  EventFilter,
  ReadAllOptions,
  SubscribeOptions,
  EventSubscription,
};

export const EVENT_STORE = Symbol('EventStore');

export interface DeleteStreamOptions {
  expectedRevision?: ExpectedRevision;
}

export interface EventStore {
  /**
   * Appends events to a stream atomically. Events whose id is already stored are skipped; when
   * every event of the call is already stored, the call is a no-op that returns the original
   * result (so a retried request never writes twice).
   */
  append(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Soft delete: the stream reads as not found; a later append continues its revisions. */
  deleteStream(streamId: string, options?: DeleteStreamOptions): Promise<void>;
  /** Hard delete: the stream can never be written again. */
  tombstoneStream(streamId: string, options?: DeleteStreamOptions): Promise<void>;
  /** Resolves once the store answers; rejects with the reason otherwise (readiness probes). */
  ping(): Promise<void>;
  /** Waits for pending appends, ends subscriptions and releases the connection or file. */
  close(): Promise<void>;
}

export const DEFAULT_READ_COUNT = 4096;

/** The largest serialised event (data + metadata) any adapter accepts. */
export const MAX_EVENT_BYTES = 1024 * 1024;
