import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InFlightIds } from './in-flight-ids.js';

describe('InFlightIds', () => {
  it('makes an append wait for another one that holds a shared id', async () => {
    const inFlight = new InFlightIds();
    const order: string[] = [];
    const first = await inFlight.acquire(['a', 'b']);
    const second = inFlight.acquire(['b', 'c']).then((release) => {
      order.push('second');
      release();
    });
    await sleep(20);
    order.push('first done');
    first();
    await second;
    expect(order).toEqual(['first done', 'second']);
    expect(inFlight.size).toBe(0);
  });

  it('lets appends with distinct ids run side by side', async () => {
    const inFlight = new InFlightIds();
    const a = await inFlight.acquire(['a']);
    const b = await inFlight.acquire(['b']);
    expect(inFlight.size).toBe(2);
    a();
    b();
  });

  it('never deadlocks appends that take the same ids in opposite order', async () => {
    const inFlight = new InFlightIds();
    const run = async (ids: string[]) => {
      const release = await inFlight.acquire(ids);
      await sleep(1);
      release();
    };
    await Promise.all(Array.from({ length: 20 }, (_, n) => run(n % 2 ? ['x', 'y'] : ['y', 'x'])));
    expect(inFlight.size).toBe(0);
  });

  it('ignores a second release, which must not free an id taken again since', async () => {
    const inFlight = new InFlightIds();
    const first = await inFlight.acquire(['a']);
    first();
    const second = await inFlight.acquire(['a']);
    first();
    expect(inFlight.size).toBe(1);
    second();
    expect(inFlight.size).toBe(0);
  });
});
