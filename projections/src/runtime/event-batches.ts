const YIELDED = Symbol('yielded');

/**
 * Groups an ordered stream of events into batches without adding latency: a batch takes every
 * event that is ready now (up to `maxSize`) and is handed on as soon as the source would wait.
 * During catch-up the source has thousands ready, so batches are full; live, a batch is whatever
 * arrived together, often one event, handled at once.
 *
 * A full batch does not tell whether more are ready, so when the source must wait right after
 * one, an empty batch says so: the consumer learns it has caught up (and can settle).
 */
export async function* eventBatches<T>(
  source: AsyncIterable<T>,
  maxSize: number,
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  let full = false;
  try {
    for (;;) {
      if (full && (await Promise.race([pending, nextTick()])) === YIELDED) yield [];
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = iterator.next();
      // The macrotask resolves after every already-settled promise, so the race below picks the
      // event whenever the source has it ready, and the tick only once the source must wait.
      const tick = nextTick();
      while (batch.length < maxSize) {
        const next = await Promise.race([pending, tick]);
        if (next === YIELDED) break;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
        pending = iterator.next();
      }
      full = batch.length >= maxSize;
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}

function nextTick(): Promise<typeof YIELDED> {
  return new Promise((resolve) => setImmediate(resolve, YIELDED));
}
