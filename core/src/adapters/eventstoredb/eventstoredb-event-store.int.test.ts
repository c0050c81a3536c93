import { describe, it } from 'vitest';
import { eventStoreContract } from '../../testing/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/**
 * The shared contract against a real EventStoreDB, e.g.
 * `EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false' npx vitest run core/src/adapters/eventstoredb`.
 *
 * Without EVENTSTORE_URL the suite is skipped, on CI too: no EventStoreDB server can run on the
 * build machines. A URL that is set but unreachable fails the suite instead.
 */
const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract('eventstoredb', {
    create: () => Promise.resolve(new EventStoreDbEventStore({ connectionString: url })),
  });
} else {
  console.warn(
    '[skip] EventStoreDB contract: EVENTSTORE_URL is not set — skipping the EventStoreDB ' +
      "integration tests (e.g. EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false')",
  );
  describe.skip('EventStore contract: eventstoredb (EVENTSTORE_URL is not set)', () => {
    it('runs against a real EventStoreDB server', () => undefined);
  });
}
