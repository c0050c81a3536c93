import { describe, expect, it } from 'vitest';
import { untilAborted } from './abortable-iteration.js';

/** A source that yields its items, then waits until torn down, like a live subscription. */
function liveSource(items: number[]) {
  let tearDown!: () => void;
  const tornDown = new Promise<void>((resolve) => (tearDown = resolve));
  const state = { returned: false, tearDown };
  const source = (async function* () {
    try {
      yield* items;
      await tornDown;
    } finally {
      state.returned = true;
    }
  })();
  return { source, state };
}

describe('untilAborted', () => {
  it('ends at once when aborted while the source waits, and returns the source once torn down', async () => {
    const { source, state } = liveSource([1, 2]);
    const controller = new AbortController();
    const seen: number[] = [];
    setTimeout(() => controller.abort(), 20);
    for await (const item of untilAborted(source, controller.signal)) seen.push(item);
    expect(seen).toEqual([1, 2]);
    state.tearDown();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.returned).toBe(true);
  });

  it('passes every item through and ends with the source', async () => {
    const seen: number[] = [];
    const source = (async function* () {
      yield* [1, 2, 3];
    })();
    for await (const item of untilAborted(source, new AbortController().signal)) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('returns the source when the consumer stops early', async () => {
    const { source, state } = liveSource([1, 2, 3]);
    for await (const item of untilAborted(source, new AbortController().signal)) {
      if (item === 2) break;
    }
    expect(state.returned).toBe(true);
  });

  it('yields nothing for a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const seen: number[] = [];
    for await (const item of untilAborted(liveSource([1]).source, controller.signal))
      seen.push(item);
    expect(seen).toEqual([]);
  });
});
