import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, EventTooLargeError, InvalidEventError } from '../../errors/index.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/**
 * The store with the real client and no server: a port nobody listens on. What a user sees when
 * EventStoreDB is down, and the checks that must happen before anything goes over the wire.
 * The behaviour against a server is the contract suite's (eventstoredb-event-store.int.test.ts).
 */
let store: EventStoreDbEventStore;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  store = new EventStoreDbEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false` });
});
afterAll(() => store.close());

describe('without a reachable server', () => {
  it('answers ping, appends and reads with a 503 of our hierarchy', async () => {
    const unavailable = { code: 'store_unavailable', status: 503 };
    await expect(store.ping()).rejects.toMatchObject(unavailable);
    await expect(store.append('user-1', [{ type: 'Tracked', data: {} }])).rejects.toMatchObject(
      unavailable,
    );
    await expect(store.readStream('user-1')).rejects.toMatchObject(unavailable);
    await expect(store.readAll({ after: 1234 })).rejects.toMatchObject(unavailable);
  });

  it('ends a subscription from the end with the same error', async () => {
    const subscription = store.subscribeToAll({ from: 'end' });
    const consume = async () => {
      for await (const _ of subscription) return 'event';
      return 'ended';
    };
    await expect(consume()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('ends a subscription that is closed before its start is known', async () => {
    const subscription = store.subscribeToAll({ from: 123 });
    const consumed = (async () => {
      for await (const _ of subscription) return 'event';
      return 'ended';
    })();
    await subscription.close();
    expect(await consumed).toBe('ended');
  });
});

describe('checks before the network', () => {
  it('refuses bad events, system streams and the reserved claim streams', async () => {
    await expect(store.append('user-1', [])).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.append('$all', [{ type: 'A', data: {} }])).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(
      store.append(`uspa-eventid-${randomUUID()}`, [{ type: 'A', data: {} }]),
    ).rejects.toThrow(/reserved/);
    await expect(store.deleteStream('uspa-eventid-x')).rejects.toBeInstanceOf(InvalidEventError);
    await expect(
      store.append('user-1', [{ type: 'Big', data: 'x'.repeat(1024 * 1024 + 1) }]),
    ).rejects.toBeInstanceOf(EventTooLargeError);
  });

  it('refuses a connection string it cannot parse, and unsafe claim timings', () => {
    expect(() => new EventStoreDbEventStore({ connectionString: 'http://nope' })).toThrow(
      ConfigError,
    );
    expect(
      () =>
        new EventStoreDbEventStore({
          connectionString: 'esdb://127.0.0.1:2113?tls=false',
          claimTimings: { claimExpiryMs: 1_000 },
        }),
    ).toThrow(ConfigError);
  });

  it('refuses every call once closed', async () => {
    const closing = new EventStoreDbEventStore({
      connectionString: 'esdb://127.0.0.1:2113?tls=false',
    });
    await closing.close();
    await expect(closing.readAll()).rejects.toMatchObject({ code: 'store_closed', status: 503 });
    await expect(closing.append('user-1', [{ type: 'A', data: {} }])).rejects.toMatchObject({
      code: 'store_closed',
    });
  });
});
