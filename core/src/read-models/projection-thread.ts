import type { Worker } from 'node:worker_threads';
import {
  UnknownProjectionError,
  type DeadLetter,
  type ProjectionControl,
  type ProjectionStatus,
  type ReplayReport,
} from '@uspa/projections';
import type { CommitSummary } from '../adapters/sqlite/append-signal.js';
import { startWorkerBeside } from '../adapters/sqlite/sqlite-worker-thread.js';
import { transferError } from '../adapters/sqlite/store-error-transfer.js';
import type { UspaConfig } from '../config/config.js';
import { UspaError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { ProfileChangeReceiver } from './profile-change-relay.js';
import type {
  ControlMethod,
  FromProjectionThread,
  ThreadError,
  ToProjectionThread,
} from './projection-thread.messages.js';

/** A thread that stopped is started again after this long, doubled while it keeps stopping. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** How long a stop waits for the thread to finish its batch and close its stores. */
const STOP_TIMEOUT_MS = 15_000;

export interface ProjectionThreadDeps {
  /** Appends asked for by the projections (reactors, dead letters) go through this store. */
  log: Pick<EventStore, 'append'>;
  /** Commits of the log's file, which wake the thread's subscriptions. */
  commits: { onCommit(listener: (commit: CommitSummary) => void): () => void };
  /** Hears the profile projection's changes, as an in-process host would tell them. */
  changes: Pick<ProfileChangeFeed, 'decide' | 'publish'>;
  logger: Logger;
  /** Starts the thread; by default `projection-thread.worker.ts`. */
  startThread?: (workerData: Record<string, unknown>) => Worker;
}

interface Call {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The serving process's projections on a thread of their own. Handling events and writing read
 * models took about half of the event loop of a busy server; there, it held up ingestion and
 * the realtime gateway's pushes. The thread reads the log itself and writes the read models
 * itself; this side answers its appends, wakes it on each commit, relays its profile changes to
 * the realtime gateway and its records to the log, and offers the usual `ProjectionControl`.
 * A thread that stops unexpectedly is started again: it resumes from its checkpoints.
 *
 * @example
 * const projections = await ProjectionThread.start(config, { log, commits: sqliteStore, changes, logger });
 * await projections.statuses();
 */
export class ProjectionThread implements ProjectionControl {
  readonly #calls = new Map<number, Call>();
  readonly #stopCommits: () => void;
  #worker: Worker | undefined;
  #receiver: ProfileChangeReceiver;
  #nextCall = 1;
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;

  readonly deadLetters = {
    pending: (projection: string) =>
      this.#call('deadLettersPending', [projection]) as Promise<DeadLetter[]>,
    replay: (projection: string) =>
      this.#call('deadLettersReplay', [projection]) as Promise<ReplayReport>,
  };

  private constructor(
    private readonly config: UspaConfig,
    private readonly deps: ProjectionThreadDeps,
  ) {
    this.#receiver = new ProfileChangeReceiver(deps.changes);
    this.#stopCommits = deps.commits.onCommit((commit) =>
      this.#post({ kind: 'committed', commit }),
    );
  }

  /** Starts the thread; resolves once its projections have started, rejects if they cannot. */
  static async start(config: UspaConfig, deps: ProjectionThreadDeps): Promise<ProjectionThread> {
    const thread = new ProjectionThread(config, deps);
    try {
      await thread.#launch();
    } catch (error) {
      thread.#stopCommits();
      throw error;
    }
    return thread;
  }

  statuses(): Promise<ProjectionStatus[]> {
    return this.#call('statuses', []) as Promise<ProjectionStatus[]>;
  }

  status(name: string): Promise<ProjectionStatus> {
    return this.#call('status', [name]) as Promise<ProjectionStatus>;
  }

  rebuild(name: string): Promise<ProjectionStatus> {
    return this.#call('rebuild', [name]) as Promise<ProjectionStatus>;
  }

  waitFor(
    name: string,
    position: number,
    timeoutMs?: number,
    options?: { settled?: boolean },
  ): Promise<boolean> {
    return this.#call('waitFor', [name, position, timeoutMs, options]) as Promise<boolean>;
  }

  /** Stops the projections (their appends still answered meanwhile), then the thread. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    clearTimeout(this.#restartTimer);
    const worker = this.#worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ kind: 'stop' } satisfies ToProjectionThread);
      const timer = setTimeout(() => {
        this.deps.logger.warn({}, 'projection thread did not stop in time: ending it');
        void worker.terminate();
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    this.#stopCommits();
  }

  /** Starts a thread; resolves once it has started its projections. */
  #launch(): Promise<void> {
    const start =
      this.deps.startThread ??
      ((workerData) =>
        startWorkerBeside(import.meta.url, 'projection-thread', workerData, { workspaces: true }));
    const worker = start({ config: this.config });
    this.#worker = worker;
    // Changes decided by a thread that stopped are never published: start afresh.
    this.#receiver = new ProfileChangeReceiver(this.deps.changes);
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromProjectionThread) => {
        if (message.kind === 'started') {
          started = true;
          this.#restarts = 0;
          resolve();
        } else if (message.kind === 'startFailed') {
          reject(new Error(`projections could not start: ${message.message}`));
          void worker.terminate();
        } else this.#receive(message, worker);
      });
      worker.on('error', (error) => {
        this.deps.logger.error({ err: error }, 'projection thread failed');
      });
      worker.on('exit', (code) => {
        if (this.#worker === worker) this.#worker = undefined;
        for (const call of this.#calls.values()) call.reject(unavailable());
        this.#calls.clear();
        if (!started) reject(new Error(`projections could not start: thread exited (${code})`));
        else if (!this.#stopping) this.#restartLater(code);
      });
    });
  }

  #restartLater(code: number): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.#restarts, RESTART_DELAYS_MS.length - 1)]!;
    this.#restarts += 1;
    this.deps.logger.error(
      { code, restartInMs: delay },
      'projection thread stopped unexpectedly: starting it again',
    );
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.#launch().catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'projection thread could not start again');
        if (!this.#stopping && !this.#worker) this.#restartLater(-1);
      });
    }, delay);
  }

  #call(method: ControlMethod, args: unknown[]): Promise<unknown> {
    if (!this.#worker || this.#stopping) return Promise.reject(unavailable());
    const id = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#post({ kind: 'call', id, method, args });
    });
  }

  /** `from`: the thread that sent it, which alone may hear the answer to its append. */
  #receive(message: FromProjectionThread, from: Worker): void {
    const answer = (reply: ToProjectionThread): void => from.postMessage(reply);
    switch (message.kind) {
      case 'append':
        this.deps.log.append(message.streamId, message.events, message.options).then(
          (result) => answer({ kind: 'appended', id: message.id, result }),
          (error: unknown) =>
            answer({ kind: 'appendFailed', id: message.id, error: transferError(error) }),
        );
        return;
      case 'answer':
        this.#calls.get(message.id)?.resolve(message.value);
        this.#calls.delete(message.id);
        return;
      case 'answerFailed':
        this.#calls.get(message.id)?.reject(restored(message.error));
        this.#calls.delete(message.id);
        return;
      case 'decided':
      case 'published':
        this.#receiver.receive(message);
        return;
      case 'log':
        this.deps.logger[message.level](message.details, message.message);
        return;
      default:
        return;
    }
  }

  #post(message: ToProjectionThread): void {
    this.#worker?.postMessage(message);
  }
}

function restored(error: ThreadError): Error {
  if (error.name === 'UnknownProjectionError' && error.projection !== undefined) {
    return new UnknownProjectionError(error.projection);
  }
  return new Error(error.message);
}

function unavailable(): UspaError {
  return new UspaError('projections_unavailable', 503, 'Projections are not running');
}
