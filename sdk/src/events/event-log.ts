/**
 * The shapes of the event log (design §4) shared by the core, the read side and plugins: what is
 * appended, what is recorded, and how the log is read. The `EventStore` port in `@uspa/core`
 * is written in these terms.
 */

/**
 * What an append expects of the stream:
 * - `any`: no check;
 * - `no_stream`: the stream must not exist (or must have been soft-deleted);
 * - `stream_exists`: the stream must have at least one event;
 * - a number: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** Metadata every recorded event may carry (design §4); adapters keep unknown keys as they are. */
export interface EventMetadata {
  receivedAt?: string;
  source?: string;
  correlationId?: string;
  causationId?: string;
  schemaVersion?: number;
  writeKeyId?: string;
  [key: string]: unknown;
}

/** An event to append. Without an `id` the store assigns a random UUID. */
export interface EventToAppend<Data = unknown> {
  id?: string;
  type: string;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as stored in the log. */
export interface RecordedEvent<Data = unknown> {
  id: string;
  type: string;
  streamId: string;
  /** Zero-based position of the event in its stream. */
  revision: number;
  /** Position in the global log: strictly increasing in commit order, not necessarily contiguous. */
  position: number;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append: the value to expect next time. */
  nextExpectedRevision: number;
  /** Global position of the last event of this append. */
  position: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Defaults to the first event (forwards) or the last one (backwards). */
  fromRevision?: number;
  /** Defaults to {@link DEFAULT_READ_COUNT}. */
  maxCount?: number;
}

export type StreamStatus = 'ok' | 'not_found' | 'tombstoned';

export interface ReadStreamResult {
  /** `not_found` covers streams never written and soft-deleted ones. */
  status: StreamStatus;
  events: RecordedEvent[];
}

/** Filters the global log by exact event types or by stream-name prefixes (one kind at a time). */
export type EventFilter =
  | { eventTypes: readonly string[]; streamPrefixes?: undefined }
  | { streamPrefixes: readonly string[]; eventTypes?: undefined };

export interface ReadAllOptions {
  direction?: Direction;
  /** Forwards: only events with a position strictly greater than this one. */
  after?: number;
  /** Backwards: only events with a position strictly lower than this one. */
  before?: number;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /**
   * Where to start: `start` (the whole log), `end` (only events appended from now on), or a
   * global position already processed (the subscription yields events strictly after it).
   */
  from?: 'start' | 'end' | number;
  filter?: EventFilter;
  /** Ends the subscription; the iterator then completes. */
  signal?: AbortSignal;
}

/**
 * An ordered, gap-free catch-up subscription: it yields stored events, then live ones, in global
 * order, each exactly once.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /**
   * The same events, as the batches the adapter reads them in: consumers that handle events in
   * batches (projections) skip one promise per event. Optional: iterate events otherwise.
   * Use either this or the event iterator, not both.
   */
  batches?(): AsyncIterable<RecordedEvent[]>;
  close(): Promise<void>;
}
