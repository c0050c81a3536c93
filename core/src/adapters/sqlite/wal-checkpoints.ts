import { WAL_CHECKPOINT_PAGES } from './sqlite-schema.js';

/** Slots of the state the writer and checkpointer threads share. */
const RESET_WANTED = 0;
const LAST_PASS = 1;
const RESET_FRAMES = 2;
const INTERVAL_MS = 3;
const SLOTS = 4;
/** Heartbeats count tenths of a second from the state's creation: an Int32 lasts six years. */
const TICK_MS = 100;

/** A checkpointer silent for this long is taken for dead: the writer checkpoints itself again. */
export const CHECKPOINTER_SILENCE_MS = 5_000;

export interface WalCheckpointOptions {
  /** WAL frames (pages) after which the WAL is started over once copied (default 20,000). */
  resetFrames?: number;
  /** How often the checkpointer copies the WAL into the database file (default 250 ms). */
  intervalMs?: number;
}

/** What a thread needs to attach to the state: pass it in `workerData`. */
export interface SharedWalCheckpoints {
  buffer: SharedArrayBuffer;
  epoch: number;
}

/**
 * What the writer thread and the checkpointer thread of one database tell each other, in shared
 * memory so neither waits for the other's event loop.
 *
 * Why two threads: a checkpoint copies every page the WAL holds into the database file and syncs
 * it. Done by the writer at commit (SQLite's automatic checkpoint), it stalls every append behind
 * it for tens to hundreds of milliseconds. The checkpointer does that copying beside the writer
 * instead. The WAL can only start over from its beginning when it is entirely copied at the
 * moment a write begins, which a steady stream of commits never allows by itself; so once a long
 * WAL has been copied, the checkpointer asks the writer to copy the few frames committed since
 * (a short pass, after it has answered its last commit), and the writer's next transaction then
 * starts the WAL over.
 *
 * @example
 * const state = WalCheckpointState.create();
 * new Worker(writer, { workerData: { checkpoints: state.share() } });
 * // in a thread: WalCheckpointState.attach(workerData.checkpoints).takeResetRequest();
 */
export class WalCheckpointState {
  readonly #slots: Int32Array;
  readonly #epoch: number;

  private constructor(shared: SharedWalCheckpoints) {
    this.#slots = new Int32Array(shared.buffer);
    this.#epoch = shared.epoch;
  }

  static create(options: WalCheckpointOptions = {}, now = Date.now()): WalCheckpointState {
    const buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const state = new WalCheckpointState({ buffer, epoch: now });
    state.#slots[RESET_FRAMES] = options.resetFrames ?? WAL_CHECKPOINT_PAGES;
    state.#slots[INTERVAL_MS] = options.intervalMs ?? 250;
    state.#beat(now);
    return state;
  }

  /** The same state in another thread, from what {@link share} gave it. */
  static attach(shared: SharedWalCheckpoints): WalCheckpointState {
    return new WalCheckpointState(shared);
  }

  share(): SharedWalCheckpoints {
    return { buffer: this.#slots.buffer as SharedArrayBuffer, epoch: this.#epoch };
  }

  get intervalMs(): number {
    return this.#slots[INTERVAL_MS]!;
  }

  /**
   * Checkpointer: a pass ended with `log` frames in the WAL, `copied` of them in the database
   * (both -1 when another connection was checkpointing). A long WAL copied to its end asks the
   * writer to start it over.
   */
  passed(log: number, copied: number, now = Date.now()): void {
    this.#beat(now);
    if (log >= this.#slots[RESET_FRAMES]! && copied >= log) {
      Atomics.store(this.#slots, RESET_WANTED, 1);
    }
  }

  /** Writer: true once per request to copy the last frames so that the WAL can start over. */
  takeResetRequest(): boolean {
    return Atomics.exchange(this.#slots, RESET_WANTED, 0) === 1;
  }

  /** Writer: whether the checkpointer has made a pass lately. */
  checkpointerAlive(now = Date.now()): boolean {
    const last = Atomics.load(this.#slots, LAST_PASS) * TICK_MS + this.#epoch;
    return now - last < CHECKPOINTER_SILENCE_MS;
  }

  #beat(now: number): void {
    Atomics.store(this.#slots, LAST_PASS, Math.floor((now - this.#epoch) / TICK_MS));
  }
}
