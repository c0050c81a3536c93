import type { RecordedEvent } from '@uspa/sdk';
import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import { eventBatches } from './event-batches.js';
import { parkEvent } from './dead-letters.js';
import type { Projection } from './projection.js';
import { lastPosition, ProjectionChanges, StorageUnavailableError } from './projection-changes.js';
import { projectionStorage, type ProjectionGeneration } from './projection-storage.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry-policy.js';
import { ThroughputMeter } from './throughput-meter.js';

export type RunnerState = 'starting' | 'running' | 'retrying' | 'stopped' | 'failed';

export interface RunnerProgress {
  state: RunnerState;
  /** Last global position committed (0 before the first commit). */
  checkpoint: number;
  /** When the last processed event was recorded, if any. */
  lastEventRecordedAt?: Date;
  processed: number;
  /** Commits that carried events (a settling step's do not count). */
  commits: number;
  /** Caught up at least once with no deferred work left: search documents are current too. */
  settled: boolean;
  parked: number;
  eventsPerSecond: number;
  lastError?: string;
}

export interface RunnerSettings {
  batchSize: number;
  retry: RetryPolicy;
  /**
   * When caught up and idle, let the projection settle this often (ms): time-driven work such
   * as moved segment windows happens without waiting for an event. Off when absent.
   */
  settleIntervalMs?: number;
  /**
   * While catching up, full batches of a `windowed` projection share one commit until this many
   * events are in (off when absent or 0): a rebuild writes a document changed in ten batches
   * once, not ten times. A failure inside a window rewinds to the last checkpoint. A window's
   * commit is as large as what changed in it: meant for a rebuild nothing else waits on. The
   * projection may end a window sooner (`ProjectionContext.endWindow`), to bound its memory.
   */
  commitWindow?: number;
}

/** A failure inside a commit window: the runner reads again from its last checkpoint. */
class WindowLost extends Error {
  override readonly name = 'WindowLost';
}

/** Full batches handled whose writes wait for one commit (see `commitWindow`). */
interface CommitWindow {
  changes: ProjectionChanges;
  events: number;
  position: number;
  last: RecordedEvent;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  batchSize: 2000,
  retry: DEFAULT_RETRY_POLICY,
};

/** Logs what operators must see; the host passes its logger. */
export interface RunnerLog {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * Runs one generation of a projection: subscribes from its stored checkpoint, hands batches to
 * the projection and commits each batch's writes with the checkpoint.
 *
 * Failures: storage errors are retried with backoff for as long as it takes (they are nobody's
 * fault and nothing may be skipped); a handler error is retried a few times, then the batch is
 * split and the one event that still fails is parked in the dead-letter stream, so one bad event
 * never stops the read model.
 */
export class ProjectionRunner {
  readonly #controller = new AbortController();
  readonly #meter = new ThroughputMeter();
  readonly #checkpointName: string;
  #progress: RunnerProgress = {
    state: 'starting',
    checkpoint: 0,
    processed: 0,
    commits: 0,
    settled: false,
    parked: 0,
    eventsPerSecond: 0,
  };
  #done: Promise<void> | undefined;
  readonly #listeners = new Set<(position: number) => void>();
  /** The projection's memory between batches (see ProjectionContext.memory). */
  readonly #memory = new Map<string, unknown>();
  #settled = false;
  /**
   * Reached the head of the log since it started: from then on it serves live, and a full batch
   * means the log grew faster than it was read, not a catch-up (see `ProjectionContext`).
   */
  #live = false;
  /** A settling step is queued: settling continues step by step between batches. */
  #settleQueued = false;
  /** The timer of a settling step asked for later (see `SettleResult`), and when it fires. */
  #later: NodeJS.Timeout | undefined;
  #laterAt: number | undefined;
  #window: CommitWindow | undefined;
  /** After a window was lost, batches up to this position commit one by one again. */
  #unwindowedUntil = 0;
  /** A window could not be committed between batches: rewind before the next batch. */
  #rewindPending = false;
  /** Batches and redeliveries run one at a time: they write the same documents. */
  #exclusive: Promise<unknown> = Promise.resolve();

  constructor(
    readonly projection: Projection,
    readonly generation: ProjectionGeneration,
    private readonly deps: { log: ProjectionEventLog; store: ReadModelStore; logger: RunnerLog },
    private readonly settings: RunnerSettings = DEFAULT_RUNNER_SETTINGS,
  ) {
    this.#checkpointName = projectionStorage.checkpoint(generation);
  }

  get progress(): RunnerProgress {
    return { ...this.#progress, settled: this.#settled, eventsPerSecond: this.#meter.rate() };
  }

  /** Starts processing in the background; {@link stop} ends it. */
  start(): void {
    this.#done ??= this.#run().catch((error: unknown) => {
      this.#progress.state = 'failed';
      this.#progress.lastError = describe(error);
      this.deps.logger.error(
        { projection: this.projection.name, err: error },
        'projection stopped',
      );
    });
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    clearTimeout(this.#later);
    await this.#done;
    this.#progress.state = 'stopped';
  }

  /** Calls `listener` after each commit with the committed position. */
  onCommit(listener: (position: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves `true` once the checkpoint has reached `position` — and, with `settled`, once the
   * deferred work up to there (search indexing) is done too — or `false` on timeout or stop.
   */
  async waitFor(
    position: number,
    timeoutMs = 30_000,
    { settled = false }: { settled?: boolean } = {},
  ): Promise<boolean> {
    const reached = (committed: number): boolean =>
      committed >= position && (!settled || this.#settled);
    if (reached(this.#progress.checkpoint)) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs, false);
      const off = this.onCommit((committed) => reached(committed) && finish(true));
      const onAbort = (): void => finish(false);
      this.#controller.signal.addEventListener('abort', onAbort, { once: true });
      function finish(reached: boolean): void {
        clearTimeout(timer);
        off();
        resolve(reached);
      }
    });
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    const stored = await this.#withStorageRetry(() =>
      this.deps.store.loadCheckpoint(this.#checkpointName),
    );
    if (signal.aborted) return;
    this.#progress.checkpoint = stored ?? 0;
    this.#progress.state = 'running';
    for (const listener of this.#listeners) listener(this.#progress.checkpoint);
    // A subscription from the start of an empty log yields nothing: settle once at the start.
    await this.#serially(() => this.#settle());
    const interval = this.settings.settleIntervalMs;
    if (interval !== undefined && interval > 0) {
      const timer = setInterval(() => this.#queueSettle(), interval);
      timer.unref();
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    }
    let from: number | 'start' = stored ?? 'start';
    for (;;) {
      try {
        await this.#follow(from);
        return;
      } catch (error) {
        if (!(error instanceof WindowLost)) throw error;
        // What the window held was never committed: read it again from the last checkpoint.
        const checkpoint = this.#progress.checkpoint;
        from = checkpoint > 0 ? checkpoint : 'start';
      }
    }
  }

  async #follow(from: number | 'start'): Promise<void> {
    const signal = this.#controller.signal;
    // Its own end too: a rewind leaves this subscription (which may be waiting for events).
    const rewind = new AbortController();
    const subscription = this.deps.log.subscribeToAll({
      from,
      filter: { eventTypes: this.projection.handles },
      signal: AbortSignal.any([signal, rewind.signal]),
    });
    for await (const batch of eventBatches(subscription, this.settings.batchSize)) {
      try {
        if (batch.length > 0) await this.#serially(() => this.#process(batch));
        if (signal.aborted) break;
        if (batch.length < this.settings.batchSize) {
          this.#live = true;
          await this.#serially(() => this.#closeWindowOrRewind());
          await this.#serially(() => this.#settle());
        }
      } catch (error) {
        if (error instanceof WindowLost) rewind.abort();
        throw error;
      }
      // An embedded store answers reads at once: without this, a catch-up would keep timers and
      // HTTP requests of the same process waiting until it ends.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Handles a parked event again, after an operator fixed its cause, between two batches. The
   * projection sees `redelivery: true`. Resolves with the error when it fails again.
   */
  redeliver(event: RecordedEvent): Promise<{ ok: true } | { ok: false; error: unknown }> {
    return this.#serially(async () => {
      await this.#closeWindowOrRewind(false);
      this.#memory.clear();
      try {
        const changes = new ProjectionChanges(this.deps.store, this.deps.log, this.generation, {
          redelivery: true,
        });
        await this.projection.handle([event], changes.context);
        await changes.commit(undefined);
        return { ok: true as const };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#exclusive.then(task);
    this.#exclusive = result.catch(() => undefined);
    return result;
  }

  async #process(batch: readonly RecordedEvent[]): Promise<void> {
    const signal = this.#controller.signal;
    if (this.#rewindPending) {
      this.#rewindPending = false;
      throw new WindowLost('a window could not be committed');
    }
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await this.#apply(batch);
        return;
      } catch (error) {
        this.#memory.clear();
        if (this.#window !== undefined) {
          // Earlier batches of the window were never committed: retrying this one alone would
          // skip them. Read again from the checkpoint, one commit per batch up to this one.
          this.#window = undefined;
          this.#unwindowedUntil = lastPosition(batch);
          this.deps.logger.warn(
            { projection: this.projection.name, err: error },
            'batch failed inside a commit window; reading again from the last checkpoint',
          );
          throw new WindowLost(describe(error));
        }
        this.#progress.lastError = describe(error);
        if (error instanceof StorageUnavailableError) {
          this.#progress.state = 'retrying';
          this.deps.logger.warn(
            { projection: this.projection.name, attempt, err: error },
            'read-model storage unavailable; retrying',
          );
          await sleep(backoffDelay(this.settings.retry, attempt), signal);
          continue;
        }
        if (attempt < this.settings.retry.handlerAttempts) {
          await sleep(backoffDelay(this.settings.retry, attempt), signal);
          continue;
        }
        if (batch.length > 1) {
          // Find the culprit: each event alone, so the good ones are kept and only it is parked.
          for (const event of batch) await this.#process([event]);
          return;
        }
        await this.#park(batch[0]!, error);
        return;
      }
    }
  }

  /** Queues one settling step behind whatever batch is running, unless one is queued already. */
  #queueSettle(): void {
    if (this.#settleQueued || this.#controller.signal.aborted) return;
    this.#settleQueued = true;
    void this.#serially(() => this.#settle());
  }

  /**
   * Lets the projection finish deferred work once caught up, one step (one commit) at a time:
   * while more is left, the next step is queued behind the batches that arrived meanwhile, so
   * a long backfill never holds live events back. Failures are retried later.
   */
  async #settle(): Promise<void> {
    this.#settleQueued = false;
    // Mid-window the projection holds writes back: settling waits for the window's commit.
    if (this.#window !== undefined) return;
    const settle = this.projection.settle?.bind(this.projection);
    if (!settle) {
      this.#settled = true;
      for (const listener of this.#listeners) listener(this.#progress.checkpoint);
      return;
    }
    if (this.#controller.signal.aborted) return;
    try {
      const changes = new ProjectionChanges(this.deps.store, this.deps.log, this.generation, {
        memory: this.#memory,
      });
      const left = await settle(changes.context);
      await changes.commit(undefined);
      this.projection.afterCommit?.(this.#memory);
      this.#settled = left === false;
      for (const listener of this.#listeners) listener(this.#progress.checkpoint);
      if (left === true) setImmediate(() => this.#queueSettle());
      else if (left !== false) this.#settleLater(left.after);
    } catch (error) {
      this.#memory.clear();
      this.#progress.lastError = describe(error);
      this.deps.logger.warn(
        { projection: this.projection.name, err: error },
        'settling failed; retried after the next batch',
      );
    }
  }

  /** Queues a settling step in `ms`, unless one is due sooner already. */
  #settleLater(ms: number): void {
    const at = performance.now() + ms;
    if (this.#laterAt !== undefined && this.#laterAt <= at) return;
    clearTimeout(this.#later);
    this.#laterAt = at;
    this.#later = setTimeout(() => {
      this.#laterAt = undefined;
      this.#queueSettle();
    }, ms);
    this.#later.unref();
  }

  /** Caught up at least once and nothing deferred is left (the blue/green switch waits for it). */
  get settled(): boolean {
    return this.#settled;
  }

  async #apply(batch: readonly RecordedEvent[]): Promise<void> {
    const catchingUp = batch.length >= this.settings.batchSize && !this.#live;
    // Any batch may leave deferred work (search indexing) to the settling step after it.
    if (this.projection.settle) this.#settled = false;
    const limit = this.projection.windowed ? (this.settings.commitWindow ?? 0) : 0;
    const windowed = catchingUp && limit > 0 && batch[0]!.position > this.#unwindowedUntil;
    if (!windowed) await this.#closeWindow();
    const open = this.#window;
    const changes =
      open?.changes ??
      new ProjectionChanges(this.deps.store, this.deps.log, this.generation, {
        catchingUp,
        memory: this.#memory,
      });
    const events = (open?.events ?? 0) + batch.length;
    const position = lastPosition(batch);
    const last = batch[batch.length - 1]!;
    const defer = windowed && events < limit;
    changes.deferWrites(defer);
    await this.projection.handle(batch, changes.context);
    if (defer) {
      this.#window = { changes, events, position, last };
      if (changes.windowEnded) await this.#closeWindow();
      return;
    }
    await changes.commit({ name: this.#checkpointName, position });
    this.#window = undefined;
    this.projection.afterCommit?.(this.#memory);
    this.#committed(events, last, position);
  }

  /** Commits the open window, if any, after letting the projection write what it deferred. */
  async #closeWindow(): Promise<void> {
    const window = this.#window;
    if (window === undefined) return;
    window.changes.deferWrites(false);
    await this.projection.handle([], window.changes.context);
    await window.changes.commit({ name: this.#checkpointName, position: window.position });
    this.#window = undefined;
    this.projection.afterCommit?.(this.#memory);
    this.#committed(window.events, window.last, window.position);
  }

  /**
   * {@link closeWindow} between batches. On failure the window is dropped and the runner reads
   * again from its last checkpoint: at once (`now`), or before its next batch.
   */
  async #closeWindowOrRewind(now = true): Promise<void> {
    try {
      await this.#closeWindow();
    } catch (error) {
      const window = this.#window;
      this.#window = undefined;
      this.#memory.clear();
      this.#unwindowedUntil = window?.position ?? this.#unwindowedUntil;
      this.deps.logger.warn(
        { projection: this.projection.name, err: error },
        'commit window failed; reading again from the last checkpoint',
      );
      if (now) throw new WindowLost(describe(error));
      this.#rewindPending = true;
    }
  }

  async #park(event: RecordedEvent, error: unknown): Promise<void> {
    this.deps.logger.error(
      { projection: this.projection.name, eventId: event.id, position: event.position, err: error },
      'event parked in the dead-letter stream',
    );
    await this.#withStorageRetry(async () => {
      await parkEvent(this.deps.log, this.projection, this.generation, event, error);
      const changes = new ProjectionChanges(this.deps.store, this.deps.log, this.generation, {
        memory: this.#memory,
      });
      await changes.commit({ name: this.#checkpointName, position: event.position });
    });
    this.#progress.parked += 1;
    this.#committed(0, undefined, event.position);
  }

  #committed(events: number, last: RecordedEvent | undefined, position: number): void {
    this.#progress.state = 'running';
    this.#progress.checkpoint = position;
    this.#progress.processed += events;
    if (events > 0) this.#progress.commits += 1;
    if (last) this.#progress.lastEventRecordedAt = last.recordedAt;
    this.#meter.add(events);
    for (const listener of this.#listeners) listener(position);
  }

  async #withStorageRetry<T>(operation: () => Promise<T>): Promise<T | undefined> {
    const signal = this.#controller.signal;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        return await operation();
      } catch (error) {
        this.#progress.state = 'retrying';
        this.#progress.lastError = describe(error);
        await sleep(backoffDelay(this.settings.retry, attempt), signal);
      }
    }
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
