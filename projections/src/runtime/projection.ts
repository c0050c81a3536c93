import type { EventToAppend, RecordedEvent } from '@uspa/sdk';
import type {
  CollectionMapping,
  Document,
  DocumentPage,
  DocumentQuery,
} from '../ports/document-store.port.js';
import type { KeyValueWrite, ScoredMember } from '../ports/key-value.port.js';
import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';

/**
 * A projection: consumes events of the types it `handles`, in global order, in batches, and
 * maintains its read models through the {@link ProjectionContext}. The runtime stores its
 * checkpoint with its writes, retries, parks poison events and rebuilds it blue/green.
 *
 * `handle` must be deterministic (same log → same read model): a rebuild replays it over the
 * whole history, and a crash may replay the last batch.
 *
 * @example
 * const pageViews = defineProjection({
 *   name: 'page-views', version: 1, handles: ['PageViewed'],
 *   collections: {},
 *   async handle(events, ctx) {
 *     for (const event of events) ctx.keyValues.write({ op: 'incrBy', key: 'total', by: 1 });
 *   },
 * });
 */
export interface Projection {
  /** Stable name: storage, checkpoints and metrics are keyed by it. */
  readonly name: string;
  /** Bump it when `handle` changes meaning: the runtime then rebuilds into new storage. */
  readonly version: number;
  readonly handles: readonly string[];
  /** Document collections it owns, by logical name (readers use the name as an alias). */
  readonly collections: Readonly<Record<string, CollectionMapping>>;
  /**
   * Lets the runner commit consecutive full batches of a catch-up together (see
   * `ProjectionContext.deferWrites`). Only for a projection that reads back nothing but plain
   * key-values and documents between batches, and that takes an empty batch: the runner ends a
   * window with one when no full batch is left to end it.
   */
  readonly windowed?: boolean;
  handle(events: readonly RecordedEvent[], context: ProjectionContext): Promise<void>;
  /**
   * Called when the runner has caught up with the log (and again while it returns true), to
   * finish work deferred during catch-up, such as indexing. Its writes commit without moving the
   * checkpoint; the blue/green switch waits until it returns false. `{ after: ms }` means more
   * is left that is not due yet: the runner calls again then (or after its next batch).
   */
  settle?(context: ProjectionContext): Promise<SettleResult>;
  /**
   * Called after each successful commit (of a batch or a settling step) with the runner's
   * memory: the moment to announce what the commit made visible, never before it is stored.
   */
  afterCommit?(memory: Map<string, unknown>): void;
}

/** What a settling step left: nothing (false), more now (true), or more in `after` ms. */
export type SettleResult = boolean | { after: number };

export function defineProjection<P extends Projection>(projection: P): P {
  return projection;
}

/**
 * What a projection sees while it handles a batch: its own storage (this generation's
 * collections and key-value namespace), buffered until the runtime commits the batch together
 * with the checkpoint, and the log for reading and, for reactors, appending.
 *
 * Reads see the batch's own earlier document upserts and plain key-value sets/deletes; other
 * key-value writes (hashes, counters, sorted sets) are seen only after the commit.
 */
export interface ProjectionContext {
  readonly documents: ProjectionDocuments;
  readonly keyValues: ProjectionKeyValues;
  readonly log: Pick<ProjectionEventLog, 'readStream' | 'readAll'>;
  /** Appends events a reactor derived; give them deterministic ids so replays write nothing. */
  append(streamId: string, events: readonly EventToAppend[]): Promise<void>;
  /** True while the runtime re-delivers a parked event after an operator asked to replay it. */
  readonly redelivery: boolean;
  /**
   * True when more events are waiting behind this batch and the runner has not yet reached the
   * head of the log since it started (a catch-up at start, or a rebuild): work that only matters
   * once caught up, like search indexing, can be deferred to {@link Projection.settle}. Once it
   * has served live, a batch is never a catch-up again, however full: a burst that puts it
   * behind is handled as live, so what its events change still reaches the people it concerns
   * at once instead of after the whole backlog.
   */
  readonly catchingUp: boolean;
  /**
   * True when this batch's writes will be committed together with those of the batches after
   * it (a window of a catch-up, for a `windowed` projection): state the projection keeps in
   * {@link memory} may wait to be written until a batch where this is false.
   */
  readonly deferWrites: boolean;
  /**
   * With {@link deferWrites}: asks the runner to end the window with this batch, because what
   * the projection holds back for it is as much as it should keep in memory. The runner then
   * lets the projection write it (an empty batch) and commits.
   */
  endWindow(): void;
  /**
   * Memory kept from batch to batch by this runner, for caches of the projection's own state.
   * The runtime clears it whenever a batch fails (it may hold changes that were never committed)
   * and on redelivery, so it never disagrees with committed storage.
   */
  readonly memory: Map<string, unknown>;
}

export interface ProjectionDocuments {
  get(collection: string, id: string): Promise<Document | undefined>;
  /** Searches what is committed (not this batch's own writes). */
  search(collection: string, query?: DocumentQuery): Promise<DocumentPage>;
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>>;
  put(collection: string, id: string, document: Document): void;
  remove(collection: string, id: string): void;
}

export interface ProjectionKeyValues {
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  hashGetAll(key: string): Promise<Record<string, string>>;
  sortedSetRange(
    key: string,
    options?: { start?: number; stop?: number; order?: 'asc' | 'desc' },
  ): Promise<ScoredMember[]>;
  write(...writes: KeyValueWrite[]): void;
}
