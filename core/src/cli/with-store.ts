import { openEventStore } from '../composition/event-store.factory.js';
import { loadConfig } from '../config/load-config.js';
import type { EventStore } from '../ports/event-store.port.js';

/** Runs a command against the configured event store, and closes it whatever happens. */
export async function withStore(work: (store: EventStore) => Promise<void>): Promise<void> {
  const store = await openEventStore(loadConfig(process.env));
  try {
    await work(store);
  } finally {
    await store.close();
  }
}
