import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventTooLargeError,
  InvalidEventError,
  StreamTombstonedError,
  WrongExpectedRevisionError,
} from '../errors/index.js';
import type { EventStore, EventToAppend, RecordedEvent } from '../ports/event-store.port.js';
import { collectEvents } from './collect-events.js';

export interface EventStoreContractSetup {
  /** Creates the store under test; it may already hold other events (streams are unique). */
  create(): Promise<EventStore>;
}

const anEvent = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { source: 'contract', correlationId: randomUUID() },
});

/**
 * The behaviour every EventStore adapter must show. Each test works in streams of its own, so the
 * suite can run against a shared, non-empty server.
 *
 * @example
 * eventStoreContract('sqlite', { create: async () => new SqliteEventStore({ file: ':memory:', ... }) });
 */
export function eventStoreContract(name: string, setup: EventStoreContractSetup): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    const stream = (suffix: string): string => `${prefix}${suffix}`;

    beforeAll(async () => {
      store = await setup.create();
    });
    afterAll(async () => {
      await store.close();
    });

    // Every test gets its own stream prefix, so filters by prefix see only its events.
    const scoped = (title: string, body: () => Promise<void>, timeout?: number): void => {
      it(
        title,
        async () => {
          prefix = `c${randomUUID().slice(0, 8)}-`;
          await body();
        },
        timeout,
      );
    };

    describe('append and readStream', () => {
      scoped('appends to a new stream and reads the events back with every field', async () => {
        const events = [anEvent('CartOpened', { cart: 1 }), anEvent('ItemAdded', { sku: 'A-1' })];
        const result = await store.append(stream('cart'), events, {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(stream('cart'));
        expect(read.status).toBe('ok');
        expect(read.events.map((e) => [e.type, e.revision, e.data])).toEqual([
          ['CartOpened', 0, { cart: 1 }],
          ['ItemAdded', 1, { sku: 'A-1' }],
        ]);
        const [first, second] = read.events as [RecordedEvent, RecordedEvent];
        expect(first.id).toBe(events[0]!.id);
        expect(first.streamId).toBe(stream('cart'));
        expect(first.metadata).toEqual(events[0]!.metadata);
        expect(first.recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(first.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
        expect(second.position).toBeGreaterThan(first.position);
        expect(result.position).toBe(second.position);
      });

      scoped('assigns a UUID when an event comes without an id', async () => {
        await store.append(stream('s'), [{ type: 'Noted', data: { n: 1 } }]);
        const { events } = await store.readStream(stream('s'));
        expect(events[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
      });

      scoped('reads backwards, from a revision, and at most maxCount events', async () => {
        const events = Array.from({ length: 10 }, (_, n) => anEvent('Counted', { n }));
        await store.append(stream('n'), events);
        const ns = (list: RecordedEvent[]): unknown[] =>
          list.map((e) => (e.data as { n: number }).n);

        expect(ns((await store.readStream(stream('n'), { fromRevision: 7 })).events)).toEqual([
          7, 8, 9,
        ]);
        expect(
          ns((await store.readStream(stream('n'), { direction: 'backwards', maxCount: 3 })).events),
        ).toEqual([9, 8, 7]);
        expect(
          ns(
            (
              await store.readStream(stream('n'), {
                direction: 'backwards',
                fromRevision: 2,
              })
            ).events,
          ),
        ).toEqual([2, 1, 0]);
        expect(ns((await store.readStream(stream('n'), { maxCount: 2 })).events)).toEqual([0, 1]);
      });

      scoped('reports a stream that was never written as not found', async () => {
        expect(await store.readStream(stream('nothing'))).toEqual({
          status: 'not_found',
          events: [],
        });
      });

      scoped('keeps unicode in stream ids, types and data exactly', async () => {
        const id = stream('profil-é-東京-🚀');
        const data = { name: 'Zoë 李 😀', rtl: 'مرحبا', nul: 'a\u0000b', lone: 'x\u00e9\u0301' };
        await store.append(id, [anEvent('Déjà Vu 👀', data)]);
        const { events } = await store.readStream(id);
        expect(events[0]?.type).toBe('Déjà Vu 👀');
        expect(events[0]?.data).toEqual(data);
        const byPrefix = await store.readAll({ filter: { streamPrefixes: [stream('profil-é')] } });
        expect(byPrefix.map((e) => e.streamId)).toEqual([id]);
      });

      scoped('appends a large batch atomically and in order', async () => {
        const events = Array.from({ length: 1000 }, (_, n) =>
          anEvent('Bulk', { n, pad: 'x'.repeat(500) }),
        );
        const result = await store.append(stream('bulk'), events);
        expect(result.nextExpectedRevision).toBe(999);
        const { events: read } = await store.readStream(stream('bulk'), { maxCount: 2000 });
        expect(read).toHaveLength(1000);
        expect(read.every((e, n) => (e.data as { n: number }).n === n && e.revision === n)).toBe(
          true,
        );
      });
    });

    describe('expected revision', () => {
      scoped('rejects no_stream on an existing stream and writes nothing', async () => {
        await store.append(stream('x'), [anEvent('A')]);
        await expect(
          store.append(stream('x'), [anEvent('B')], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(stream('x'))).events.map((e) => e.type)).toEqual(['A']);
      });

      scoped('rejects stream_exists on a missing stream', async () => {
        await expect(
          store.append(stream('y'), [anEvent('A')], { expectedRevision: 'stream_exists' }),
        ).rejects.toMatchObject({ code: 'wrong_expected_revision', status: 409 });
        expect((await store.readStream(stream('y'))).status).toBe('not_found');
      });

      scoped('accepts the right revision and rejects a stale one', async () => {
        const first = await store.append(stream('z'), [anEvent('A'), anEvent('B')]);
        const second = await store.append(stream('z'), [anEvent('C')], {
          expectedRevision: first.nextExpectedRevision,
        });
        expect(second.nextExpectedRevision).toBe(2);
        await expect(
          store.append(stream('z'), [anEvent('D')], { expectedRevision: 1 }),
        ).rejects.toMatchObject({ expected: 1, actual: 2 });
        await expect(
          store.append(stream('z'), [anEvent('E')], { expectedRevision: 'stream_exists' }),
        ).resolves.toMatchObject({ nextExpectedRevision: 3 });
      });

      scoped('lets only one of two racing writers with the same expectation win', async () => {
        await store.append(stream('race'), [anEvent('Opened')]);
        const outcomes = await Promise.allSettled(
          [1, 2, 3, 4].map((n) =>
            store.append(stream('race'), [anEvent('Claimed', { n })], { expectedRevision: 0 }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o) => o.status === 'rejected');
        expect(rejected.every((o) => o.reason instanceof WrongExpectedRevisionError)).toBe(true);
        expect((await store.readStream(stream('race'))).events).toHaveLength(2);
      });
    });

    describe('idempotency by event id', () => {
      scoped('stores a retried append once and returns the original result', async () => {
        const events = [anEvent('Paid', { total: 10 }), anEvent('Shipped')];
        const first = await store.append(stream('order'), events, {
          expectedRevision: 'no_stream',
        });
        const retry = await store.append(stream('order'), events, {
          expectedRevision: 'no_stream',
        });
        expect(retry).toEqual(first);
        expect((await store.readStream(stream('order'))).events).toHaveLength(2);
      });

      scoped('ignores a stale expectation when every event is already stored', async () => {
        const event = anEvent('Paid');
        const first = await store.append(stream('o2'), [event], { expectedRevision: 'no_stream' });
        await store.append(stream('o2'), [anEvent('Refunded')]);
        expect(
          await store.append(stream('o2'), [event], { expectedRevision: 'no_stream' }),
        ).toEqual(first);
        expect((await store.readStream(stream('o2'))).events).toHaveLength(2);
      });

      scoped('appends only the new events of a partly retried batch', async () => {
        const stored = anEvent('One');
        await store.append(stream('p'), [stored]);
        const result = await store.append(stream('p'), [stored, anEvent('Two'), anEvent('Three')]);
        expect(result.nextExpectedRevision).toBe(2);
        const { events } = await store.readStream(stream('p'));
        expect(events.map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
      });

      scoped('stores concurrent retries of the same events once', async () => {
        const events = [anEvent('Tracked', { n: 1 })];
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.append(stream('retry'), events)),
        );
        expect(new Set(results.map((r) => r.position)).size).toBe(1);
        expect((await store.readStream(stream('retry'))).events).toHaveLength(1);
      });
    });

    describe('readAll', () => {
      scoped('reads forwards after a position and backwards before one', async () => {
        const appended: number[] = [];
        for (let n = 0; n < 5; n++) {
          appended.push((await store.append(stream(`r${n}`), [anEvent('Read', { n })])).position);
        }
        const filter = { streamPrefixes: [prefix] };
        const after = await store.readAll({ after: appended[1], filter });
        expect(after.map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4]);
        const before = await store.readAll({
          direction: 'backwards',
          before: appended[3],
          maxCount: 2,
          filter,
        });
        expect(before.map((e) => (e.data as { n: number }).n)).toEqual([2, 1]);
        const limited = await store.readAll({ after: appended[0]! - 1, maxCount: 2, filter });
        expect(limited.map((e) => e.position)).toEqual(appended.slice(0, 2));
      });

      scoped('filters by exact event types', async () => {
        const [wanted, other] = [`Wanted${prefix}`, `Other${prefix}`];
        const start = await store.append(stream('f'), [anEvent(other)]);
        await store.append(stream('f'), [anEvent(wanted, { n: 1 }), anEvent(other)]);
        await store.append(stream('g'), [anEvent(wanted, { n: 2 })]);
        const read = await store.readAll({
          after: start.position - 1,
          filter: { eventTypes: [wanted] },
        });
        expect(read.map((e) => [e.type, (e.data as { n: number }).n])).toEqual([
          [wanted, 1],
          [wanted, 2],
        ]);
      });

      scoped('filters by stream prefix without matching look-alikes', async () => {
        await store.append(stream('user-1'), [anEvent('A')]);
        await store.append(stream('USER-2'), [anEvent('B')]);
        await store.append(stream('anon-1'), [anEvent('C')]);
        await store.append(stream('user-3'), [anEvent('D')]);
        const read = await store.readAll({ filter: { streamPrefixes: [stream('user-')] } });
        expect(read.map((e) => e.type)).toEqual(['A', 'D']);
        const two = await store.readAll({
          filter: { streamPrefixes: [stream('anon-'), stream('USER-')] },
        });
        expect(two.map((e) => e.type)).toEqual(['B', 'C']);
      });
    });

    describe('subscribeToAll', () => {
      scoped('catches up with stored events, then delivers live ones in order', async () => {
        for (let n = 0; n < 20; n++) await store.append(stream('sub'), [anEvent('Seen', { n })]);
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
        const received = collectEvents(subscription, 40);
        for (let n = 20; n < 40; n++) await store.append(stream('sub'), [anEvent('Seen', { n })]);
        const events = await received;
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual(
          Array.from({ length: 40 }, (_, n) => n),
        );
      });

      scoped('starts after a given position, or at the end of the log', async () => {
        const first = await store.append(stream('a'), [anEvent('One')]);
        await store.append(stream('a'), [anEvent('Two')]);
        const filter = { streamPrefixes: [prefix] };
        const fromPosition = await collectEvents(
          store.subscribeToAll({ from: first.position, filter }),
          1,
        );
        expect(fromPosition.map((e) => e.type)).toEqual(['Two']);

        const fromEnd = store.subscribeToAll({ from: 'end', filter });
        const live = collectEvents(fromEnd, 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.append(stream('a'), [anEvent('Three')]);
        expect((await live).map((e) => e.type)).toEqual(['Three']);
      });

      scoped(
        'sees every event exactly once, in global order, while many writers append',
        async () => {
          const writers = 8;
          const appendsPerWriter = 40;
          const subscription = store.subscribeToAll({
            from: 'end',
            filter: { streamPrefixes: [prefix] },
          });
          const total = writers * appendsPerWriter * 2;
          const received = collectEvents(subscription, total, 60_000);
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              for (let n = 0; n < appendsPerWriter; n++) {
                await store.append(stream(`w${w}-${n % 3}`), [
                  anEvent('Wrote', { w, n, k: 0 }),
                  anEvent('Wrote', { w, n, k: 1 }),
                ]);
              }
            }),
          );
          const events = await received;
          expect(events).toHaveLength(total);
          expect(new Set(events.map((e) => e.id)).size).toBe(total);
          const positions = events.map((e) => e.position);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
          const stored = await store.readAll({
            filter: { streamPrefixes: [prefix] },
            maxCount: total + 10,
          });
          expect(events.map((e) => e.id)).toEqual(stored.map((e) => e.id));
        },
        90_000,
      );

      scoped('ends when closed or aborted', async () => {
        await store.append(stream('end'), [anEvent('Only')]);
        const controller = new AbortController();
        const subscription = store.subscribeToAll({
          filter: { streamPrefixes: [prefix] },
          signal: controller.signal,
        });
        const seen: string[] = [];
        const done = (async () => {
          for await (const event of subscription) {
            seen.push(event.type);
            controller.abort();
          }
        })();
        await done;
        expect(seen).toEqual(['Only']);

        const closing = store.subscribeToAll({ from: 'end' });
        const finished = (async () => {
          for await (const _ of closing) {
            /* nothing arrives */
          }
          return 'ended';
        })();
        setTimeout(() => void closing.close(), 50);
        expect(await finished).toBe('ended');
      });
    });

    describe('delete and tombstone', () => {
      scoped('soft-deletes a stream; a later append continues its revisions', async () => {
        await store.append(stream('d'), [anEvent('A'), anEvent('B')]);
        await store.deleteStream(stream('d'));
        expect((await store.readStream(stream('d'))).status).toBe('not_found');
        const again = await store.append(stream('d'), [anEvent('C')]);
        expect(again.nextExpectedRevision).toBe(2);
        const { status, events } = await store.readStream(stream('d'));
        expect(status).toBe('ok');
        expect(events.map((e) => [e.type, e.revision])).toEqual([['C', 2]]);
      });

      scoped('checks the expected revision of a delete', async () => {
        await store.append(stream('e'), [anEvent('A')]);
        await expect(
          store.deleteStream(stream('e'), { expectedRevision: 5 }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(stream('e'))).status).toBe('ok');
      });

      scoped('refuses every append to a tombstoned stream', async () => {
        await store.append(stream('t'), [anEvent('A')]);
        await store.tombstoneStream(stream('t'));
        await expect(store.append(stream('t'), [anEvent('B')])).rejects.toBeInstanceOf(
          StreamTombstonedError,
        );
        await expect(
          store.append(stream('t'), [anEvent('C')], { expectedRevision: 'no_stream' }),
        ).rejects.toMatchObject({ code: 'stream_tombstoned', status: 410 });
        expect((await store.readStream(stream('t'))).status).toBe('tombstoned');
      });
    });

    describe('bad input', () => {
      scoped('rejects an event over 1 MiB and writes nothing of the append', async () => {
        const big = { blob: 'é'.repeat(600 * 1024) };
        await expect(
          store.append(stream('big'), [anEvent('Small'), anEvent('Big', big)]),
        ).rejects.toBeInstanceOf(EventTooLargeError);
        expect((await store.readStream(stream('big'))).status).toBe('not_found');
      });

      scoped('rejects data that is not JSON-serialisable', async () => {
        const circular: Record<string, unknown> = { a: 1 };
        circular['self'] = circular;
        await expect(store.append(stream('bad'), [anEvent('X', circular)])).rejects.toBeInstanceOf(
          InvalidEventError,
        );
        await expect(
          store.append(stream('bad'), [{ type: 'Y', data: { n: 10n } }]),
        ).rejects.toMatchObject({ code: 'invalid_event', status: 400 });
        await expect(store.append(stream('bad'), [])).rejects.toBeInstanceOf(InvalidEventError);
        await expect(
          store.append(stream('bad'), [{ id: 'not-a-uuid', type: 'Z', data: {} }]),
        ).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.append('$system', [anEvent('Z')])).rejects.toBeInstanceOf(
          InvalidEventError,
        );
        expect((await store.readStream(stream('bad'))).status).toBe('not_found');
      });
    });
  });
}
