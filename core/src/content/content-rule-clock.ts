import type { ContentRuleDirectory } from './content-rule-directory.js';

/** The clock a {@link ContentRuleClock} reads and sets its timer on; tests pass their own. */
export interface TimerClock {
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

/** The process's clock; its timers do not keep the process alive. */
export const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

// Timers are set at most this far ahead: Node's setTimeout wraps above 2^31 − 1 ms, and a
// clock that is set forward or back is noticed within this time.
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/**
 * Calls `reached` each time a content rule's start or end time comes, so pages already open
 * get the content now in force without waiting for an event: a campaign's banner appears at
 * 10:00 and leaves at 12:00. It waits for the next such time of the rules as they are, and
 * starts waiting afresh whenever a rule changes.
 *
 * @example
 * const clock = new ContentRuleClock(rules, () => visitors.refreshAll());
 * // on shutdown:
 * clock.stop();
 */
export class ContentRuleClock {
  #timer: { cancel(): void } | undefined;
  readonly #stopWatching: () => void;
  #stopped = false;

  constructor(
    private readonly rules: ContentRuleDirectory,
    private readonly reached: () => void,
    private readonly clock: TimerClock = systemClock,
  ) {
    this.#stopWatching = rules.onChange(() => this.#wait());
    this.#wait();
  }

  stop(): void {
    this.#stopped = true;
    this.#stopWatching();
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #wait(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#stopped) return;
    const now = this.clock.now();
    const next = this.rules.nextTimeAfter(now);
    if (next === undefined) return;
    const wait = Math.min(next - now, LONGEST_WAIT_MS);
    this.#timer = this.clock.setTimer(() => {
      this.#timer = undefined;
      // Woken early (a long wait cut short) or on time: only a time that has come is news.
      if (this.clock.now() >= next) this.reached();
      this.#wait();
    }, wait);
  }
}
