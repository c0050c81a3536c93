import { WAL_CHECKPOINT_PAGES } from './sqlite-schema.js';

/**
 * Slots of the state the writer and checkpointer threads share. The checkpointer writes the
 * first four after each pass (the count last); the writer only reads them.
 */
export const PASS_SLOTS = { log: 0, copied: 1, beat: 2, passes: 3 } as const;
const RESET_FRAMES = 4;
const SLOTS = 5;
/** Heartbeats count tenths of a second from the state's creation: an Int32 lasts six years. */
export const BEAT_MS = 100;

/** A checkpointer silent for this long is taken for dead: the writer checkpoints itself again. */
export const CHECKPOINTER_SILENCE_MS = 5_000;

export interface WalCheckpointOptions {
  /** WAL frames (pages) after which the WAL is started over once copied (default 20,000). */
  resetFrames?: number;
  /** How often the checkpointer copies the WAL into the database file (default 250 ms). */
  intervalMs?: number;
  /**
   * Told when the checkpointer cannot do its work: a failing pass (at most once a minute while
   * they fail) or a thread that stopped. Either only costs speed, so it is worth a warning.
   */
  onProblem?: (problem: string) => void;
}

/** What a thread needs to attach to the state: pass it in `workerData`. */
export interface SharedWalCheckpoints {
  buffer: SharedArrayBuffer;
  /** Heartbeats count {@link BEAT_MS} from this time. */
  epoch: number;
  intervalMs: number;
  slots: typeof PASS_SLOTS;
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
 * WAL has been copied, the writer copies the few frames committed since (a short pass, after it
 * has answered its last commit), and its next transaction starts the WAL over.
 *
 * After each pass the checkpointer stores, in {@link PASS_SLOTS}, the WAL's frames, how many of
 * them are copied (both -1 when another connection was checkpointing), its heartbeat, and last
 * the count of its passes.
 *
 * @example
 * const state = WalCheckpointState.create();
 * new Worker(writer, { workerData: { checkpoints: state.share() } });
 * // in the writer: WalCheckpointState.attach(workerData.checkpoints).takeResetRequest();
 */
export class WalCheckpointState {
  readonly #slots: Int32Array;
  readonly #shared: SharedWalCheckpoints;
  #passesSeen = 0;

  private constructor(shared: SharedWalCheckpoints) {
    this.#slots = new Int32Array(shared.buffer);
    this.#shared = shared;
  }

  static create(options: WalCheckpointOptions = {}, now = Date.now()): WalCheckpointState {
    const buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const state = new WalCheckpointState({
      buffer,
      epoch: now,
      intervalMs: options.intervalMs ?? 250,
      slots: PASS_SLOTS,
    });
    state.#slots[RESET_FRAMES] = options.resetFrames ?? WAL_CHECKPOINT_PAGES;
    return state;
  }

  /** The same state in another thread, from what {@link share} gave it. */
  static attach(shared: SharedWalCheckpoints): WalCheckpointState {
    return new WalCheckpointState(shared);
  }

  share(): SharedWalCheckpoints {
    return this.#shared;
  }

  /**
   * Writer: true once after a pass that found a long WAL copied to its end — time to copy the
   * last frames, so that the next transaction starts the WAL over.
   */
  takeResetRequest(): boolean {
    const passes = Atomics.load(this.#slots, PASS_SLOTS.passes);
    if (passes === this.#passesSeen) return false;
    this.#passesSeen = passes;
    const log = Atomics.load(this.#slots, PASS_SLOTS.log);
    const copied = Atomics.load(this.#slots, PASS_SLOTS.copied);
    return log >= this.#slots[RESET_FRAMES]! && copied >= log;
  }

  /** Writer: whether the checkpointer has made a pass lately (or only just started). */
  checkpointerAlive(now = Date.now()): boolean {
    const last = Atomics.load(this.#slots, PASS_SLOTS.beat) * BEAT_MS + this.#shared.epoch;
    return now - last < CHECKPOINTER_SILENCE_MS;
  }
}
