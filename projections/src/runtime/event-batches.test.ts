import type { RecordedEvent } from '@uspa/sdk';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { eventBatches } from './event-batches.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A source that always has `size` events ready, as a subscription has while catching up. */
function catchingUp(size: number, payload: () => string) {
  let position = 0;
  const reads = async function* () {
    for (;;) {
      yield Array.from({ length: size }, () => {
        position += 1;
        return { position, data: { payload: payload() } } as unknown as RecordedEvent;
      });
    }
  };
  return {
    batches: reads,
    [Symbol.asyncIterator]: () => {
      throw new Error('read in batches');
    },
  };
}

function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

describe('eventBatches', () => {
  it('hands on full batches in log order while reads of another size keep coming', async () => {
    const positions: number[][] = [];
    for await (const batch of eventBatches(
      catchingUp(3, () => ''),
      5,
    )) {
      positions.push(batch.map((event) => event.position));
      if (positions.length === 3) break;
    }
    // Reads of 3: what goes past 5 starts the next batch, which is full too.
    expect(positions).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12, 13, 14, 15],
    ]);
  });

  it('splits reads larger than a batch, and hands on the rest of the last one', async () => {
    const events = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ position: from + i }) as RecordedEvent);
    const source = {
      batches: async function* () {
        yield events(1, 7);
        yield events(8, 2);
      },
      [Symbol.asyncIterator]: () => {
        throw new Error('read in batches');
      },
    };
    const sizes: number[] = [];
    for await (const batch of eventBatches(source, 3)) sizes.push(batch.length);
    expect(sizes).toEqual([3, 3, 3]);
  });

  it('keeps none of the events it handed on, though no macrotask runs while catching up', async () => {
    // 200 batches of 2 events of 256 KB each: 100 MB if they were all kept. Each payload is a
    // flat string of its own (padded or repeated strings share their parts).
    let serial = 0;
    const payload = () => Buffer.alloc(256 * 1024, 46 + (serial++ % 10)).toString('latin1');
    const before = heapMb();
    let batches = 0;
    for await (const batch of eventBatches(catchingUp(1, payload), 2)) {
      expect(batch).toHaveLength(2);
      if (++batches === 200) break;
    }
    expect(heapMb() - before).toBeLessThan(20);
  });
});
