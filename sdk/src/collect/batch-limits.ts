/**
 * The server's collection limits (DESIGN.md §5). The SDKs split and filter before sending, so a
 * request is never refused as a whole for its size.
 *
 * @example
 * if (jsonBytes(message) > BATCH_LIMITS.eventBytes) console.warn('too large, dropped');
 */
export const BATCH_LIMITS = {
  /** Largest accepted message, serialised. */
  eventBytes: 32 * 1024,
  /** Largest accepted request body. */
  requestBytes: 500 * 1024,
  /** Most messages in one batch. */
  batchEvents: 2500,
} as const;

/** Room kept for the envelope (`writeKey`, `sentAt`, brackets) around the messages. */
const ENVELOPE_BYTES = 1024;

const encoder = new TextEncoder();

/**
 * UTF-8 size of a value once serialised as JSON.
 *
 * @example
 * jsonBytes({ event: 'Signed Up' }); // 21
 */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * How many messages from the head of `queue` fit in one request of at most `maxBytes` (the
 * server's limit by default) and {@link BATCH_LIMITS.batchEvents} messages. At least one when the
 * queue is not empty: callers drop messages over {@link BATCH_LIMITS.eventBytes} before queueing.
 *
 * @example
 * const count = batchSize(queue);
 * const batch = queue.slice(0, count);
 */
export function batchSize(
  queue: readonly unknown[],
  maxBytes: number = BATCH_LIMITS.requestBytes,
): number {
  let bytes = ENVELOPE_BYTES;
  let count = 0;
  for (const message of queue) {
    if (count === BATCH_LIMITS.batchEvents) break;
    bytes += jsonBytes(message) + 1;
    if (bytes > maxBytes && count > 0) break;
    count++;
  }
  return count;
}
