import { describe, expect, it } from 'vitest';
import { AppendSignal, skipQuiet } from './append-signal.js';

const commit = (streamIds: string[], after: number, through: number) => ({
  streamIds,
  types: ['Written'],
  positions: { after, through },
});

describe('AppendSignal', () => {
  it('wakes a waiter at once for a commit that concerns it', async () => {
    const signal = new AppendSignal();
    const started = performance.now();
    const waiting = signal.wait(5_000, undefined, { streamPrefixes: ['apikey-'] });
    signal.notify(commit(['apikey-1'], 10, 11));
    expect(await waiting).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('answers a poll with the commits it slept through, in order', async () => {
    const signal = new AppendSignal();
    const waiting = signal.wait(30, undefined, { streamPrefixes: ['apikey-'] });
    signal.notify(commit(['user-1'], 10, 12));
    signal.notify(commit(['user-2', 'anon-3'], 12, 20));
    expect(await waiting).toEqual([
      { after: 10, through: 12 },
      { after: 12, through: 20 },
    ]);
  });

  it('records nothing for a commit whose positions are unknown', async () => {
    const signal = new AppendSignal();
    const waiting = signal.wait(30, undefined, { eventTypes: ['KeyCreated'] });
    signal.notify({ streamIds: ['user-1'], types: ['Tracked'] });
    expect(await waiting).toEqual([]);
  });

  it('wakes an unfiltered waiter for every commit', async () => {
    const signal = new AppendSignal();
    const waiting = signal.wait(5_000);
    signal.notify(commit(['user-1'], 1, 2));
    expect(await waiting).toEqual([]);
  });
});

describe('skipQuiet', () => {
  it('steps over commits that follow on without a gap', () => {
    expect(
      skipQuiet(100, [
        { after: 100, through: 140 },
        { after: 140, through: 150 },
      ]),
    ).toBe(150);
  });

  it('stops at a gap: positions another writer took must be read', () => {
    expect(
      skipQuiet(100, [
        { after: 100, through: 140 },
        { after: 145, through: 150 },
      ]),
    ).toBe(140);
    expect(skipQuiet(100, [{ after: 120, through: 140 }])).toBe(100);
  });

  it('ignores commits the reader has read past already', () => {
    expect(
      skipQuiet(150, [
        { after: 90, through: 120 },
        { after: 120, through: 160 },
      ]),
    ).toBe(160);
    expect(skipQuiet(150, [{ after: 90, through: 120 }])).toBe(150);
  });

  it('treats a commit that wrote nothing as no step', () => {
    expect(skipQuiet(100, [{ after: 100, through: 100 }])).toBe(100);
  });
});
