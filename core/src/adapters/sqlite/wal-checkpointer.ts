import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WAL_CHECKPOINT_PAGES } from './sqlite-schema.js';
import {
  BEAT_MS,
  WalCheckpointState,
  type SharedWalCheckpoints,
  type WalCheckpointOptions,
} from './wal-checkpoints.js';

/**
 * The checkpointer thread, as plain JavaScript: it needs nothing but the driver, so it starts
 * without a TypeScript loader (a thread with one costs some 20 MB more when running from
 * sources). It makes a PASSIVE checkpoint every `intervalMs` (copies what no reader still needs,
 * never waits for the writer or readers) and stores each pass's outcome in the shared slots, the
 * count of passes last (see `WalCheckpointState`). A failed pass is reported and tried again; a
 * writer that hears nothing for long checkpoints itself.
 */
const CHECKPOINTER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { file, checkpoints, beatMs } = workerData;
const slots = new Int32Array(checkpoints.buffer);
const at = checkpoints.slots;
// The file exists (its writer opened it in WAL mode): never create an empty one in its place.
// The driver's errors lose their message on the way out of a thread: a plain Error keeps it.
let db;
try {
  db = new Database(file, { fileMustExist: true });
} catch (error) {
  throw new Error(String(error));
}
db.pragma('busy_timeout = 1000');
function pass() {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.store(slots, at.log, result.log);
    Atomics.store(slots, at.copied, result.checkpointed);
    Atomics.store(slots, at.beat, Math.floor((Date.now() - checkpoints.epoch) / beatMs));
    Atomics.add(slots, at.passes, 1);
  } catch (error) {
    parentPort.postMessage({ kind: 'failed', message: String(error) });
  }
}
const timer = setInterval(pass, checkpoints.intervalMs);
parentPort.on('message', (message) => {
  if (message.kind !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ kind: 'closed' });
});
parentPort.postMessage({ kind: 'ready' });
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * A checkpointer thread for one SQLite file (see `wal-checkpoints.ts`), started beside the
 * connection that writes it. Hand {@link shared} to that connection's {@link CheckpointedWrites}.
 *
 * @example
 * const checkpointer = WalCheckpointer.start('data/read-models.sqlite');
 * const writes = new CheckpointedWrites(db, checkpointer.shared);
 * // after each commit: writes.afterCommit();
 * await checkpointer.close();
 */
export class WalCheckpointer {
  /** Settles once the thread makes its passes (or has stopped): it takes a moment to start. */
  readonly ready: Promise<void>;

  #closing = false;

  private constructor(
    readonly shared: SharedWalCheckpoints,
    private readonly thread: Worker,
    file: string,
    onProblem: (problem: string) => void,
  ) {
    const failedPass = reportAtMostEvery(PROBLEM_INTERVAL_MS, onProblem);
    this.ready = new Promise((resolve) => {
      thread.on('message', (message: { kind?: string; message?: string }) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'failed')
          failedPass(`WAL checkpoint of ${file} failed: ${message.message}`);
      });
      // A checkpointer that fails only costs speed: the writing connection checkpoints itself
      // once it hears nothing more from it.
      thread.on('error', (error: unknown) =>
        onProblem(`WAL checkpointer of ${file} failed: ${reasonOf(error)}`),
      );
      thread.once('exit', () => {
        resolve();
        if (!this.#closing) {
          onProblem(`WAL checkpointer of ${file} stopped; SQLite checkpoints at commit instead`);
        }
      });
    });
  }

  static start(file: string, options: WalCheckpointOptions = {}): WalCheckpointer {
    const shared = WalCheckpointState.create(options).share();
    const thread = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { file, checkpoints: shared, beatMs: BEAT_MS, driver },
      // It allocates next to nothing: a process flag that lets threads' young heaps grow large
      // (`--max-semi-space-size`) should not reserve that for it.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    // Never what keeps a process alive: a process that exits mid-pass loses nothing.
    thread.unref();
    return new WalCheckpointer(shared, thread, file, options.onProblem ?? (() => undefined));
  }

  /** Stops the thread between passes, so its connection closes cleanly. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.#closing = true;
    if (thread.threadId === -1) return;
    const closed = new Promise<void>((resolve) => {
      thread.on('message', (message: { kind?: string }) => {
        if (message.kind === 'closed') resolve();
      });
      thread.once('exit', () => resolve());
    });
    thread.postMessage({ kind: 'close' });
    await closed;
    await thread.terminate();
  }
}

/** What a thread's error says: one that crossed from the thread may be a plain object. */
function reasonOf(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  return typeof code === 'string' ? code : String(error);
}

/** Failing passes come every interval: one report a minute says enough. */
const PROBLEM_INTERVAL_MS = 60_000;

/**
 * Passes problems on to `report`, but one at most every `intervalMs`; the next one reported
 * counts those held back in between.
 *
 * @example
 * const warn = reportAtMostEvery(60_000, (problem) => logger.warn({}, problem));
 */
export function reportAtMostEvery(
  intervalMs: number,
  report: (problem: string) => void,
  now: () => number = () => performance.now(),
) {
  let last = -Infinity;
  let missed = 0;
  return (problem: string): void => {
    const at = now();
    if (at - last < intervalMs) {
      missed += 1;
      return;
    }
    report(
      missed > 0 ? `${problem} (and ${missed} more failed passes since the last report)` : problem,
    );
    last = at;
    missed = 0;
  };
}

/**
 * The writing connection's side of a checkpointer thread: SQLite's own checkpoint at commit is
 * off while the thread makes its passes; after a commit, the connection copies the WAL's last
 * frames when a pass found a long WAL copied, so its next transaction starts the WAL over.
 * Should the thread fall silent, the checkpoint at commit comes back.
 */
export class CheckpointedWrites {
  readonly #state: WalCheckpointState;
  #selfCheckpointing = false;

  constructor(
    private readonly db: Database.Database,
    shared: SharedWalCheckpoints,
  ) {
    this.#state = WalCheckpointState.attach(shared);
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Call after each commit, once its caller has been answered where that matters. */
  afterCommit(): void {
    if (this.#selfCheckpointing) return;
    if (this.#state.takeResetRequest()) {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } else if (!this.#state.checkpointerAlive()) {
      this.#selfCheckpointing = true;
      this.db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    }
  }
}
