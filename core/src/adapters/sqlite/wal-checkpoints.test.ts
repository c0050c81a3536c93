import { describe, expect, it } from 'vitest';
import {
  BEAT_MS,
  CHECKPOINTER_SILENCE_MS,
  WalCheckpointState,
  type SharedWalCheckpoints,
} from './wal-checkpoints.js';

const T0 = Date.parse('2026-11-30T08:00:00Z');

/** What the checkpointer thread stores after a pass, in the order it stores it. */
function pass(shared: SharedWalCheckpoints, log: number, copied: number, now: number): void {
  const slots = new Int32Array(shared.buffer);
  Atomics.store(slots, shared.slots.log, log);
  Atomics.store(slots, shared.slots.copied, copied);
  Atomics.store(slots, shared.slots.beat, Math.floor((now - shared.epoch) / BEAT_MS));
  Atomics.add(slots, shared.slots.passes, 1);
}

describe('WalCheckpointState', () => {
  it('asks the writer to start the WAL over once a long WAL has been copied to its end', () => {
    const shared = WalCheckpointState.create({ resetFrames: 1000 }, T0).share();
    const writer = WalCheckpointState.attach(shared);

    pass(shared, 999, 999, T0 + 250);
    expect(writer.takeResetRequest()).toBe(false); // short: not worth a pass on the writer

    pass(shared, 1500, 1200, T0 + 500);
    expect(writer.takeResetRequest()).toBe(false); // frames still uncopied (a reader holds them)

    pass(shared, 1500, 1500, T0 + 750);
    expect(writer.takeResetRequest()).toBe(true);
    expect(writer.takeResetRequest()).toBe(false); // once per pass
  });

  it('ignores a pass another connection kept busy', () => {
    const shared = WalCheckpointState.create({ resetFrames: 10 }, T0).share();
    const writer = WalCheckpointState.attach(shared);
    pass(shared, -1, -1, T0 + 250);
    expect(writer.takeResetRequest()).toBe(false);
    expect(writer.checkpointerAlive(T0 + 300)).toBe(true);
  });

  it('tells the writer when the checkpointer has fallen silent', () => {
    const shared = WalCheckpointState.create({}, T0).share();
    const writer = WalCheckpointState.attach(shared);
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS - 200)).toBe(true);
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS + 100)).toBe(false);

    pass(shared, 10, 10, T0 + CHECKPOINTER_SILENCE_MS + 200);
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS + 300)).toBe(true);
  });

  it('shares its pass interval with the thread that makes the passes', () => {
    expect(WalCheckpointState.create({ intervalMs: 40 }, T0).share().intervalMs).toBe(40);
    expect(WalCheckpointState.create({}, T0).share().intervalMs).toBe(250);
  });
});
