import type { EventSubscription, RecordedEvent } from '@uspa/sdk';

const YIELDED = Symbol('yielded');

/**
 * Groups an ordered stream of events into batches without adding latency: a batch takes every
 * event that is ready now (up to `maxSize`) and is handed on as soon as the source would wait.
 * During catch-up the source has thousands ready, so batches are full; live, a batch is whatever
 * arrived together, often one event, handled at once.
 *
 * A full batch does not tell whether more are ready, so when the source must wait right after
 * one, an empty batch says so: the consumer learns it has caught up (and can settle).
 *
 * Sources that read in batches (`subscription.batches()`) are taken a read at a time, which
 * spares a promise per event during a catch-up.
 */
export async function* eventBatches(
  source: Pick<EventSubscription, 'batches'> & AsyncIterable<RecordedEvent>,
  maxSize: number,
): AsyncGenerator<RecordedEvent[]> {
  const reads = source.batches ? source.batches() : singles(source);
  const iterator = reads[Symbol.asyncIterator]();
  let pending = iterator.next();
  let full = false;
  try {
    for (;;) {
      if (full && (await Promise.race([pending, nextTick()])) === YIELDED) yield [];
      const first = await pending;
      if (first.done) return;
      let batch = first.value;
      pending = iterator.next();
      // The macrotask resolves after every already-settled promise, so the race below picks the
      // read whenever the source has it ready, and the tick only once the source must wait.
      const tick = nextTick();
      let done = false;
      while (batch.length < maxSize) {
        const next = await Promise.race([pending, tick]);
        if (next === YIELDED) break;
        if (next.done) {
          done = true;
          break;
        }
        batch = batch.length === 0 ? next.value : batch.concat(next.value);
        pending = iterator.next();
      }
      for (let start = 0; start < batch.length; start += maxSize) {
        const chunk =
          start === 0 && batch.length <= maxSize ? batch : batch.slice(start, start + maxSize);
        full = chunk.length >= maxSize;
        yield chunk;
      }
      if (done) return;
    }
  } finally {
    await iterator.return?.();
  }
}

async function* singles<T>(source: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of source) yield [item];
}

function nextTick(): Promise<typeof YIELDED> {
  return new Promise((resolve) => setImmediate(resolve, YIELDED));
}
