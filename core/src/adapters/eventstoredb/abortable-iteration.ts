/**
 * Iterates `source` until it ends or `signal` aborts. An abort ends the iteration at once, even
 * while the source is waiting for its next item (a live subscription can wait for hours).
 *
 * The source's iterator is returned either way. After an abort that return is not awaited: an
 * async generator (a Node Readable's iterator is one) queues `return()` behind its pending
 * `next()`, which only settles once the owner tears the source down (unsubscribe, destroy).
 */
export async function* untilAborted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  if (signal.aborted) return;
  const iterator = source[Symbol.asyncIterator]();
  let onAbort!: () => void;
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      pending = iterator.next();
      const step = await Promise.race([pending, aborted]);
      if (step === ABORTED) return;
      pending = undefined;
      if (step.done) return;
      yield step.value;
      if (signal.aborted) return;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (pending) {
      // Settles when the source is torn down; nobody waits for it, nothing may reject unheard.
      pending.catch(() => undefined);
      iterator.return?.().catch(() => undefined);
    } else {
      await iterator.return?.().catch(() => undefined);
    }
  }
}

const ABORTED = Symbol('aborted');
