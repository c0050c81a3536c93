import type { EventSubscription, RecordedEvent } from '@uspa/sdk';

const YIELDED = Symbol('yielded');
const READY = Symbol('ready');

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
 *
 * Each race with the next macrotask leaves that tick's promise waiting until a macrotask runs,
 * holding on to what the race resolved with: the races resolve with a marker, never a read, so
 * a consumer that runs no macrotask while catching up does not keep every event it was given.
 */
export async function* eventBatches(
  source: Pick<EventSubscription, 'batches'> & AsyncIterable<RecordedEvent>,
  maxSize: number,
): AsyncGenerator<RecordedEvent[]> {
  const reads = source.batches ? source.batches() : singles(source);
  const iterator = reads[Symbol.asyncIterator]();
  let pending = iterator.next();
  // What a read brought beyond a full batch: the start of the next one.
  let carried: RecordedEvent[] = [];
  let full = false;
  try {
    for (;;) {
      let batch = carried;
      carried = [];
      if (batch.length === 0) {
        if (full && (await Promise.race([ready(pending), nextTick()])) === YIELDED) yield [];
        const first = await pending;
        if (first.done) return;
        batch = first.value;
        pending = iterator.next();
      }
      // The macrotask resolves after every already-settled promise, so the race below picks the
      // read whenever the source has it ready, and the tick only once the source must wait.
      const tick = nextTick();
      let done = false;
      while (batch.length < maxSize) {
        if ((await Promise.race([ready(pending), tick])) === YIELDED) break;
        const next = await pending;
        if (next.done) {
          done = true;
          break;
        }
        batch = batch.length === 0 ? next.value : batch.concat(next.value);
        pending = iterator.next();
      }
      if (done) {
        for (let start = 0; start < batch.length; start += maxSize) {
          yield batch.slice(start, start + maxSize);
        }
        return;
      }
      // Reads need not add up to full batches: the rest waits for the next batch, not handed
      // on alone, which would look like the head of the log in the middle of a catch-up.
      if (batch.length > maxSize) {
        carried = batch.slice(maxSize);
        batch = batch.slice(0, maxSize);
      }
      full = batch.length >= maxSize;
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}

async function* singles<T>(source: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of source) yield [item];
}

/** Settles with `promise`, resolving with a marker instead of its value. */
function ready(promise: Promise<unknown>): Promise<typeof READY> {
  return promise.then(() => READY);
}

function nextTick(): Promise<typeof YIELDED> {
  return new Promise((resolve) => setImmediate(resolve, YIELDED));
}
