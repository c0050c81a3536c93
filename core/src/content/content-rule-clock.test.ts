import { describe, expect, it } from 'vitest';
import { ContentRuleClock, type TimerClock } from './content-rule-clock.js';
import { ContentRuleDirectory } from './content-rule-directory.js';
import { aContentRule, ruleDeleted } from './content-rule.fixture.js';

/** A clock that moves only when told to, firing the timers it passes. */
class ManualClock implements TimerClock {
  #now: number;
  #timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number) {
    const timer = { at: this.#now + ms, callback, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves to `time`, firing due timers in order (a timer may set another). */
  advanceTo(time: string): void {
    const target = Date.parse(time);
    for (;;) {
      const due = this.#timers
        .filter((timer) => !timer.cancelled && timer.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = due.at;
      due.cancelled = true;
      due.callback();
    }
    this.#now = target;
  }

  pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }
}

const sale = aContentRule('sale').between('2026-03-15T10:00:00.000Z', '2026-03-15T12:00:00.000Z');

describe('ContentRuleClock', () => {
  it('calls when a rule starts and when it ends, and then waits for nothing', () => {
    const clock = new ManualClock('2026-03-15T09:00:00.000Z');
    const rules = new ContentRuleDirectory();
    rules.apply(sale.defined());
    const reached: string[] = [];
    new ContentRuleClock(rules, () => reached.push(new Date(clock.now()).toISOString()), clock);

    clock.advanceTo('2026-03-15T09:59:59.999Z');
    expect(reached).toEqual([]);
    clock.advanceTo('2026-03-16T00:00:00.000Z');
    expect(reached).toEqual(['2026-03-15T10:00:00.000Z', '2026-03-15T12:00:00.000Z']);
    expect(clock.pending()).toBe(0);
  });

  it('waits afresh when rules change: a new time ahead, a deleted rule no longer', () => {
    const clock = new ManualClock('2026-03-15T09:00:00.000Z');
    const rules = new ContentRuleDirectory();
    const reached: number[] = [];
    new ContentRuleClock(rules, () => reached.push(clock.now()), clock);
    expect(clock.pending()).toBe(0);

    rules.apply(sale.defined());
    rules.apply(aContentRule('later').between('2026-03-15T11:00:00.000Z', undefined).defined());
    rules.apply(ruleDeleted('sale'));
    clock.advanceTo('2026-03-16T00:00:00.000Z');
    expect(reached).toEqual([Date.parse('2026-03-15T11:00:00.000Z')]);
  });

  it('waits at most an hour at a time for a time far ahead, and calls only when it comes', () => {
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const rules = new ContentRuleDirectory();
    rules.apply(sale.defined());
    let calls = 0;
    new ContentRuleClock(rules, () => calls++, clock);
    clock.advanceTo('2026-03-15T09:30:00.000Z');
    expect(calls).toBe(0);
    clock.advanceTo('2026-03-15T10:00:00.000Z');
    expect(calls).toBe(1);
  });

  it('stops: no more calls, no timer left', () => {
    const clock = new ManualClock('2026-03-15T09:00:00.000Z');
    const rules = new ContentRuleDirectory();
    rules.apply(sale.defined());
    let calls = 0;
    const watch = new ContentRuleClock(rules, () => calls++, clock);
    watch.stop();
    rules.apply(aContentRule('other').between('2026-03-15T09:30:00.000Z', undefined).defined());
    clock.advanceTo('2026-03-16T00:00:00.000Z');
    expect(calls).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
