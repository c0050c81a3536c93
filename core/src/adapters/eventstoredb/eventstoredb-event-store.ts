import { EventStoreDBClient } from '@eventstore/db-client';
import { inject, injectable } from '../../composition/decorators.js';
import { ConfigError, InvalidEventError, UspaError } from '../../errors/index.js';
import type {
  AppendOptions,
  AppendResult,
  DeleteStreamOptions,
  EventStore,
  EventSubscription,
  EventToAppend,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  SubscribeOptions,
} from '../../ports/event-store.port.js';
import { assertStreamId, serialiseEvents } from '../shared/serialised-event.js';
import { readAllEvents } from './all-log.js';
import { claimTimings, type ClaimTimings, type PreparedEvent } from './event-id-claims.js';
import { EventStoreDbAllLog } from './eventstoredb-all-log.js';
import { EventStoreDbClaimLog } from './eventstoredb-claim-log.js';
import { toStoreError } from './eventstoredb-errors.js';
import { CLAIM_STREAM_PREFIX } from './eventstoredb-mapping.js';
import { EventStoreDbStreams } from './eventstoredb-streams.js';
import { EventStoreDbSubscription } from './eventstoredb-subscription.js';
import { IdempotentAppender } from './idempotent-append.js';

export const EVENTSTOREDB_CONFIG = Symbol('EventStoreDbConfig');

export interface EventStoreDbConfig {
  /** `esdb://admin:changeit@host:2113`, `esdb://host:2113?tls=false`, `esdb+discover://…`. */
  connectionString: string;
  /** Bounds of the idempotency guard (see {@link ClaimTimings}); the defaults suit most setups. */
  claimTimings?: Partial<ClaimTimings>;
}

/** A readiness probe must answer quickly; reads of the client itself have no deadline. */
const PING_TIMEOUT_MS = 5_000;

/**
 * The scale-out event store: EventStoreDB (20.10+, positions on stream reads from 22.10) through
 * its gRPC client. Appends go through {@link IdempotentAppender}, which makes "an event id is
 * stored once" hold across retries, processes and crashes; `$all` readers hide system streams and
 * the guard's claim streams.
 */
@injectable()
export class EventStoreDbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #streams: EventStoreDbStreams;
  readonly #log: EventStoreDbAllLog;
  readonly #appender: IdempotentAppender;
  readonly #subscriptions = new Set<EventStoreDbSubscription>();
  readonly #pending = new Set<Promise<unknown>>();
  #closed = false;

  constructor(@inject(EVENTSTOREDB_CONFIG) config: EventStoreDbConfig) {
    const timings = claimTimings(config.claimTimings);
    try {
      this.#client = EventStoreDBClient.connectionString(config.connectionString);
    } catch (error) {
      throw new ConfigError(`Invalid EventStoreDB connection string: ${(error as Error).message}`);
    }
    this.#streams = new EventStoreDbStreams(this.#client);
    this.#log = new EventStoreDbAllLog(this.#client);
    this.#appender = new IdempotentAppender(
      new EventStoreDbClaimLog(this.#client),
      this.#streams,
      timings,
    );
  }

  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.#write(() =>
      this.#appender.append(streamId, prepare(streamId, events), options.expectedRevision ?? 'any'),
    );
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return this.#run(() => {
      assertStreamId(streamId);
      return this.#streams.read(streamId, options);
    });
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.#run(() => readAllEvents(this.#log, options));
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const subscription = new EventStoreDbSubscription(this.#client, this.#log, options, (done) =>
      this.#subscriptions.delete(done),
    );
    if (this.#closed) void subscription.close();
    else this.#subscriptions.add(subscription);
    return subscription;
  }

  deleteStream(streamId: string, options: DeleteStreamOptions = {}): Promise<void> {
    return this.#write(() => {
      assertWritable(streamId);
      return this.#streams.delete(streamId, options.expectedRevision ?? 'any', false);
    });
  }

  tombstoneStream(streamId: string, options: DeleteStreamOptions = {}): Promise<void> {
    return this.#write(() => {
      assertWritable(streamId);
      return this.#streams.delete(streamId, options.expectedRevision ?? 'any', true);
    });
  }

  ping(): Promise<void> {
    return this.#run(async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new UspaError('store_unavailable', 503, 'EventStoreDB did not answer')),
          PING_TIMEOUT_MS,
        );
      });
      try {
        // Any answer will do, "stream not found" included: one tiny read of a reserved name.
        await Promise.race([
          this.#streams.read(`${CLAIM_STREAM_PREFIX}ping`, { maxCount: 1 }),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled(this.#pending);
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
    await this.#client.dispose();
  }

  /** Appends and deletes: close() waits for the ones already started. */
  #write<T>(work: () => Promise<T>): Promise<T> {
    const running = this.#run(work);
    this.#pending.add(running);
    const forget = () => this.#pending.delete(running);
    running.then(forget, forget);
    return running;
  }

  async #run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#closed) throw new UspaError('store_closed', 503, 'Store is closed');
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

/** Validates and serialises before anything is written; keeps each caller's data value. */
function prepare(streamId: string, events: readonly EventToAppend[]): PreparedEvent[] {
  assertWritable(streamId);
  return serialiseEvents(streamId, events).map((event, n) => ({
    ...event,
    value: events[n]!.data,
  }));
}

function assertWritable(streamId: string): void {
  assertStreamId(streamId);
  if (streamId.startsWith(CLAIM_STREAM_PREFIX)) {
    throw new InvalidEventError(
      `Stream id ${streamId} is reserved (starts with ${CLAIM_STREAM_PREFIX})`,
    );
  }
}
