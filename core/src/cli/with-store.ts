import { openEventStore } from '../composition/event-store.factory.js';
import { loadConfig } from '../config/load-config.js';
import type { EventStore } from '../ports/event-store.port.js';
import { commandLineLogger } from './projection-rebuild.js';

/**
 * Runs a command against the configured event store (its problems reported on stderr), and
 * closes it whatever happens.
 */
export async function withStore(work: (store: EventStore) => Promise<void>): Promise<void> {
  const config = loadConfig(process.env);
  const store = await openEventStore(config, commandLineLogger(config.log.level));
  try {
    await work(store);
  } finally {
    await store.close();
  }
}
