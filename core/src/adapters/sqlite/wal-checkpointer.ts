import type Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { WAL_CHECKPOINT_PAGES } from './sqlite-schema.js';
import { startStoreThread } from './store-thread.js';
import {
  WalCheckpointState,
  type SharedWalCheckpoints,
  type WalCheckpointOptions,
} from './wal-checkpoints.js';

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

  private constructor(
    readonly shared: SharedWalCheckpoints,
    private readonly thread: Worker,
  ) {
    this.ready = new Promise((resolve) => {
      thread.on('message', (message: { kind?: string }) => {
        if (message.kind === 'ready') resolve();
      });
      thread.once('exit', () => resolve());
    });
  }

  static start(file: string, options: WalCheckpointOptions = {}): WalCheckpointer {
    const shared = WalCheckpointState.create(options).share();
    const thread = startStoreThread('sqlite-checkpointer', { file, checkpoints: shared });
    // A checkpointer that fails only costs speed: the writing connection checkpoints itself
    // once it hears nothing more from it.
    thread.on('error', () => undefined);
    // Never what keeps a process alive: a process that exits mid-pass loses nothing.
    thread.unref();
    return new WalCheckpointer(shared, thread);
  }

  /** Stops the thread between passes, so its connection closes cleanly. */
  async close(): Promise<void> {
    const thread = this.thread;
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

/**
 * The writing connection's side of a checkpointer thread: SQLite's own checkpoint at commit is
 * off while the thread makes its passes; after a commit, the connection copies the WAL's last
 * frames when asked, so its next transaction starts the WAL over. Should the thread fall
 * silent, the checkpoint at commit comes back.
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
