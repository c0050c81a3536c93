import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api.js';
import type { Condition } from './condition-types.js';
import { SegmentPreviewState } from './segment-preview.svelte.js';
import type { SegmentPreview } from './segments-api.js';

const answer = (count: number): SegmentPreview => ({ count, sample: [], tookMs: 1 });
const plan = (value: string): Condition => ({ property: 'traits.plan', op: 'equals', value });

describe('SegmentPreviewState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once, 400 ms after the last edit', async () => {
    const preview = vi.fn(async () => answer(7));
    const state = new SegmentPreviewState(preview);
    state.schedule(plan('p'));
    await vi.advanceTimersByTimeAsync(300);
    state.schedule(plan('pr'));
    await vi.advanceTimersByTimeAsync(300);
    state.schedule(plan('pro'));
    expect(state.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(399);
    expect(preview).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(preview).toHaveBeenCalledTimes(1);
    expect(preview).toHaveBeenCalledWith(plan('pro'));
    expect(state.result?.count).toBe(7);
    expect(state.pending).toBe(false);
  });

  it('drops an answer that comes after a newer question', async () => {
    let resolveSlow: (value: SegmentPreview) => void = () => {};
    const preview = vi
      .fn<(condition: Condition) => Promise<SegmentPreview>>()
      .mockImplementationOnce(() => new Promise((resolve) => (resolveSlow = resolve)))
      .mockImplementationOnce(async () => answer(2));
    const state = new SegmentPreviewState(preview);
    state.schedule(plan('old'));
    await vi.advanceTimersByTimeAsync(400);
    state.schedule(plan('new'));
    await vi.advanceTimersByTimeAsync(400);
    resolveSlow(answer(1000));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.result?.count).toBe(2);
  });

  it('keeps the validation errors of a 400 to show them in place', async () => {
    const preview = vi.fn(async () => {
      throw new ApiError(400, 'validation_failed', 'Invalid condition', {
        errors: ['and[0].value: between needs low ≤ high'],
      });
    });
    const state = new SegmentPreviewState(preview);
    state.schedule(plan('x'));
    await vi.advanceTimersByTimeAsync(400);
    expect(state.errors).toEqual(['and[0].value: between needs low ≤ high']);
    expect(state.failure).toBeUndefined();
    expect(state.result).toBeUndefined();
  });

  it('asks nothing while the condition is unfinished', async () => {
    const preview = vi.fn(async () => answer(1));
    const state = new SegmentPreviewState(preview);
    state.schedule(plan('x'));
    state.hold();
    await vi.advanceTimersByTimeAsync(1000);
    expect(preview).not.toHaveBeenCalled();
    expect(state.pending).toBe(false);
  });
});
