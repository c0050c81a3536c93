import { describe, expect, it } from 'vitest';
import { CHECKPOINTER_SILENCE_MS, WalCheckpointState } from './wal-checkpoints.js';

const T0 = Date.parse('2026-11-30T08:00:00Z');

describe('WalCheckpointState', () => {
  it('asks the writer to start the WAL over once a long WAL has been copied to its end', () => {
    const checkpointer = WalCheckpointState.create({ resetFrames: 1000 }, T0);
    const writer = WalCheckpointState.attach(checkpointer.share());

    checkpointer.passed(999, 999, T0 + 250);
    expect(writer.takeResetRequest()).toBe(false); // short: not worth a pass on the writer

    checkpointer.passed(1500, 1200, T0 + 500);
    expect(writer.takeResetRequest()).toBe(false); // frames still uncopied (a reader holds them)

    checkpointer.passed(1500, 1500, T0 + 750);
    expect(writer.takeResetRequest()).toBe(true);
    expect(writer.takeResetRequest()).toBe(false); // once per request
  });

  it('ignores a pass another connection kept busy', () => {
    const state = WalCheckpointState.create({ resetFrames: 10 }, T0);
    state.passed(-1, -1, T0 + 250);
    expect(state.takeResetRequest()).toBe(false);
    expect(state.checkpointerAlive(T0 + 300)).toBe(true);
  });

  it('tells the writer when the checkpointer has fallen silent', () => {
    const checkpointer = WalCheckpointState.create({}, T0);
    const writer = WalCheckpointState.attach(checkpointer.share());
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS - 200)).toBe(true);
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS + 100)).toBe(false);

    checkpointer.passed(10, 10, T0 + CHECKPOINTER_SILENCE_MS + 200);
    expect(writer.checkpointerAlive(T0 + CHECKPOINTER_SILENCE_MS + 300)).toBe(true);
  });

  it('shares its pass interval with the threads that attach to it', () => {
    const state = WalCheckpointState.create({ intervalMs: 40 }, T0);
    expect(WalCheckpointState.attach(state.share()).intervalMs).toBe(40);
    expect(WalCheckpointState.create({}, T0).intervalMs).toBe(250);
  });
});
