import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.js';

describe('SignInThrottle', () => {
  it('holds an address back after 10 failures until its minute is over', () => {
    let now = 0;
    const throttle = new SignInThrottle({ now: () => now });
    for (let failure = 0; failure < 9; failure++) throttle.failed('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    throttle.failed('10.0.0.1');
    now = 15_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(45);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now = 60_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('tracks a bounded number of addresses, forgetting finished windows first', () => {
    let now = 0;
    const throttle = new SignInThrottle({ maxFailures: 1, maxAddresses: 2, now: () => now });
    throttle.failed('a');
    now = 30_000;
    throttle.failed('b');
    now = 61_000;
    throttle.failed('c');
    // a's window was over: forgotten to make room; b's is still running.
    expect(throttle.retryAfterSeconds('b')).toBe(29);
    throttle.failed('d');
    // Every window running: the oldest address (b) gives way.
    expect(throttle.retryAfterSeconds('b')).toBe(0);
    expect(throttle.retryAfterSeconds('c')).toBe(60);
    expect(throttle.retryAfterSeconds('d')).toBe(60);
  });
});
