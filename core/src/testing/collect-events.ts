import type { EventSubscription, RecordedEvent } from '../ports/event-store.port.js';

/**
 * Reads `count` events from a subscription and closes it; rejects with what arrived so far when
 * they do not come within `timeoutMs`.
 *
 * @example
 * const [first] = await collectEvents(store.subscribeToAll({ from: 'end' }), 1);
 */
export async function collectEvents(
  subscription: EventSubscription,
  count: number,
  timeoutMs = 10_000,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const event of subscription) {
      events.push(event);
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
  if (events.length < count) {
    throw new Error(`Expected ${count} events within ${timeoutMs} ms, got ${events.length}`);
  }
  return events;
}
