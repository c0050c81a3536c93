import { describe, expect, it } from 'vitest';
import { batchSize } from './batch-limits.js';
import { deliveryOutcome, retryAfterMs, retryDelayMs } from './retry-policy.js';

describe('retry policy', () => {
  it('retries no answer, 429 and 5xx; drops other 4xx', () => {
    expect([undefined, 429, 500, 503].map(deliveryOutcome)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect([200, 204].map(deliveryOutcome)).toEqual(['delivered', 'delivered']);
    expect([400, 401, 403, 413].map(deliveryOutcome)).toEqual([
      'refused',
      'refused',
      'refused',
      'refused',
    ]);
  });

  it('doubles the delay per attempt, jittered between half and all of it, capped', () => {
    expect(retryDelayMs(1, 1000, 30_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 30_000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 30_000, () => 1)).toBe(4000);
    expect(retryDelayMs(20, 1000, 30_000, () => 1)).toBe(30_000);
  });

  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('batchSize', () => {
  it('stops before the byte limit and keeps at least one message', () => {
    const message = { padding: 'x'.repeat(1000) };
    expect(
      batchSize(
        Array.from({ length: 10 }, () => message),
        5000,
      ),
    ).toBe(3);
    expect(batchSize([{ padding: 'x'.repeat(10_000) }], 5000)).toBe(1);
    expect(batchSize([])).toBe(0);
  });

  it('stops at 2,500 messages', () => {
    expect(batchSize(Array.from({ length: 3000 }, () => ({})))).toBe(2500);
  });
});
