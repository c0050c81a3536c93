/**
 * The projection runtime on the embedded read side (a SQLite log and SqliteReadModelStore in a
 * temporary directory): checkpoints commit with the writes, a poison event is parked and can be
 * replayed, storage failures are retried without losing or doubling anything, a rebuild fills a
 * new generation while the old one serves, and the status reports lag and throughput.
 */
import { SqliteEventStore, SqliteReadModelStore, type EventStore } from '@uspa/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import { project, snapshot } from '../testing/index.js';
import {
  appendItems,
  cartsProjection,
  counts,
  FlakyReadModelStore,
  headOf,
  n,
} from './carts.fixture.js';
import { PROJECTION_DEAD_LETTER_REPLAYED, PROJECTION_EVENT_PARKED } from './dead-letters.js';
import { ProjectionHost } from './projection-host.js';
import { projectionStorage } from './projection-storage.js';
import type { Projection } from './projection.js';

const quiet = { info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A log and a read-model store in a temporary directory, and a second store for clean builds. */
function openReadSide() {
  const dir = mkdtempSync(join(tmpdir(), 'uspa-runner-'));
  const log: EventStore = new SqliteEventStore({
    file: join(dir, 'events.sqlite'),
    synchronous: 'NORMAL',
    pollIntervalMs: 20,
  });
  const store = SqliteReadModelStore.open(join(dir, 'read-models.sqlite'));
  const clean = SqliteReadModelStore.open(join(dir, 'clean.sqlite'));
  cleanups.push(async () => {
    await store.close();
    await clean.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { log, store, clean };
}

const settings = { batchSize: 10, retry: { handlerAttempts: 2, baseDelayMs: 10, maxDelayMs: 40 } };

function aHost(log: EventStore, store: ReadModelStore, projection: Projection): ProjectionHost {
  const host = new ProjectionHost([projection], { log, store, logger: quiet }, settings);
  cleanups.push(() => host.stop());
  return host;
}

async function caughtUp(host: ProjectionHost, log: EventStore): Promise<void> {
  expect(await host.serving('carts')!.waitFor(await headOf(log), 20_000)).toBe(true);
}

describe('ProjectionRunner on the embedded read side', () => {
  it('stores the checkpoint with the writes and resumes without handling an event twice', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 25);
    const first = cartsProjection();
    const host = aHost(log, store, first.projection);
    await host.start();
    await caughtUp(host, log);
    await host.stop();
    expect(await store.loadCheckpoint('carts:g1')).toBe(await headOf(log));
    expect(await counts(store)).toEqual({ ItemAdded: 19, ItemRemoved: 6 });
    expect(await store.documents.get('carts', 'cart-1')).toEqual({ items: 4, lastN: 22 });
    expect(first.handled.flat().map(n)).toEqual(Array.from({ length: 25 }, (_, i) => i));

    await appendItems(log, 25, 5);
    const second = cartsProjection();
    const restarted = aHost(log, store, second.projection);
    await restarted.start();
    await caughtUp(restarted, log);
    expect(second.handled.flat().map(n)).toEqual([25, 26, 27, 28, 29]);
    expect(await counts(store)).toEqual({ ItemAdded: 23, ItemRemoved: 7 });
    expect(await store.loadCheckpoint('carts:g1')).toBe(await headOf(log));
  });

  it('parks a poison event, applies the rest of its batch, and replays it once fixed', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 12);
    const cause = { fixed: false };
    const carts = cartsProjection({ poison: (event) => !cause.fixed && n(event) === 4 });
    const host = aHost(log, store, carts.projection);
    await host.start();
    await caughtUp(host, log);
    const poisoned = (await log.readStream('cart-1')).events.find((event) => n(event) === 4)!;
    expect(carts.handled[0]!.map(n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const deadLetters = projectionStorage.deadLetterStream('carts');
    expect((await log.readStream(deadLetters)).events).toMatchObject([
      {
        type: PROJECTION_EVENT_PARKED,
        data: {
          projection: 'carts',
          generation: 1,
          eventId: poisoned.id,
          eventType: 'ItemAdded',
          streamId: 'cart-1',
          revision: poisoned.revision,
          position: poisoned.position,
          error: { name: 'Error', message: 'cannot count item 4' },
        },
      },
    ]);
    expect(await counts(store)).toEqual({ ItemAdded: 8, ItemRemoved: 3 });
    expect(await store.documents.get('carts', 'cart-1')).toEqual({ items: 1, lastN: 10 });
    expect(await store.loadCheckpoint('carts:g1')).toBe(await headOf(log));
    expect((await host.status('carts')).serving).toMatchObject({ parked: 1, lagEvents: 0 });

    const failedAgain = { eventId: poisoned.id, error: 'cannot count item 4' };
    expect(await host.deadLetters.replay('carts')).toEqual({
      projection: 'carts',
      replayed: 1,
      applied: 0,
      failed: [failedAgain],
    });
    expect((await host.deadLetters.pending('carts')).map((l) => l.parked.eventId)).toEqual([
      poisoned.id,
    ]);
    cause.fixed = true;
    expect(await host.deadLetters.replay('carts')).toEqual({
      projection: 'carts',
      replayed: 1,
      applied: 1,
      failed: [],
    });
    expect(await host.deadLetters.pending('carts')).toEqual([]);
    expect(carts.redelivered).toEqual([4]);
    expect(await counts(store)).toEqual({ ItemAdded: 9, ItemRemoved: 3 });
    const replays = (await log.readStream(deadLetters)).events.slice(1);
    expect(
      replays.map((event) => [event.type, (event.data as { outcome: string }).outcome]),
    ).toEqual([
      [PROJECTION_DEAD_LETTER_REPLAYED, 'failed'],
      [PROJECTION_DEAD_LETTER_REPLAYED, 'applied'],
    ]);
  });

  it('retries a failing commit until storage is back, applying every event exactly once', async () => {
    const { log, store: real } = openReadSide();
    const store = new FlakyReadModelStore(real);
    await appendItems(log, 0, 30);
    const carts = cartsProjection();
    const host = aHost(log, store, carts.projection);
    store.failing = true;
    await host.start();
    await vi.waitFor(() => expect(store.refused).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    const during = (await host.status('carts')).serving!;
    expect(during).toMatchObject({ state: 'retrying', checkpoint: 0, processed: 0, parked: 0 });
    expect(during.lastError).toBe('StorageUnavailableError: read-model store offline');

    store.failing = false;
    await caughtUp(host, log);
    const after = (await host.status('carts')).serving!;
    expect(after).toMatchObject({ state: 'running', processed: 30, parked: 0, lagEvents: 0 });
    expect(after.lastError).toContain('read-model store offline');
    expect(carts.handled.length).toBeGreaterThan(store.refused); // handled again on every retry…
    expect(await counts(real)).toEqual({ ItemAdded: 23, ItemRemoved: 7 }); // …committed once
    expect(await host.deadLetters.pending('carts')).toEqual([]);
  });

  it('rebuilds into generation 2 while generation 1 serves, then switches and drops it', async () => {
    const { log, store, clean } = openReadSide();
    await appendItems(log, 0, 95);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    // Holds the rebuild (the only reader of items below 95 by then), not generation 1.
    const carts = cartsProjection({
      beforeHandle: async (events) => (holding && n(events[0]!) < 95 ? held : undefined),
    });
    const host = aHost(log, store, carts.projection);
    await host.start();
    await caughtUp(host, log);
    holding = true;
    expect((await host.rebuild('carts')).building).toMatchObject({ generation: 2, checkpoint: 0 });
    for (let i = 95; i < 120; i++) await appendItems(log, i, 1);
    await caughtUp(host, log);
    const during = await host.status('carts');
    expect(during.serving).toMatchObject({ generation: 1, lagEvents: 0 });
    expect(during.building).toMatchObject({ generation: 2, checkpoint: 0 });
    expect(await store.documents.resolveAlias('carts')).toBe('carts_g1');
    expect(await counts(store, 1)).toEqual({ ItemAdded: 90, ItemRemoved: 30 });

    release();
    await appendItems(log, 120, 17);
    await host.awaitRebuild('carts');
    await caughtUp(host, log);
    expect(await host.meta('carts')).toEqual({ serving: { generation: 2, version: 1 } });
    expect(await store.documents.resolveAlias('carts')).toBe('carts_g2');
    expect(await store.documents.listCollections('carts_')).toEqual(['carts_g2']);
    const generation1: string[] = [];
    for await (const key of store.keyValues.scanPrefix('carts:g1:')) generation1.push(key);
    expect(generation1).toEqual([]);
    expect(await store.loadCheckpoint('carts:g1')).toBeUndefined();
    expect(await counts(store, 2)).toEqual({ ItemAdded: 103, ItemRemoved: 34 });

    await project(log, clean, [cartsProjection().projection]);
    expect((await snapshot(store, carts.projection)).digest).toBe(
      (await snapshot(clean, carts.projection)).digest,
    );
  });

  it('stops only once a switch under way has dropped the generation it replaced', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 20);
    const host = aHost(log, store, cartsProjection().projection);
    await host.start();
    await caughtUp(host, log);
    // A slow drop, as an OpenSearch index deletion can be: the switch is seen before it ends.
    const drop = store.documents.dropCollection.bind(store.documents);
    store.documents.dropCollection = async (name: string) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await drop(name);
    };
    await host.rebuild('carts');
    await vi.waitFor(async () => expect((await host.status('carts')).building).toBeUndefined(), {
      timeout: 10_000,
      interval: 10,
    });

    await host.stop();

    expect(await store.documents.listCollections('carts_')).toEqual(['carts_g2']);
  });

  it('rebuilds a projection whose version changed, the old generation serving until the switch', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 40);
    const first = aHost(log, store, cartsProjection().projection);
    await first.start();
    await caughtUp(first, log);
    await first.stop();
    expect(await first.meta('carts')).toEqual({ serving: { generation: 1, version: 1 } });

    const changed = { ...cartsProjection().projection, version: 2 };
    const second = aHost(log, store, changed);
    await second.start();
    // The new version builds as generation 2; readers still find generation 1 meanwhile.
    expect((await second.meta('carts')).building).toEqual({ generation: 2, version: 2 });
    expect(await store.documents.resolveAlias('carts')).toBe('carts_g1');
    await second.awaitRebuild('carts');
    expect(await second.meta('carts')).toEqual({ serving: { generation: 2, version: 2 } });
    expect(await store.documents.resolveAlias('carts')).toBe('carts_g2');
    expect(await store.documents.listCollections('carts_')).toEqual(['carts_g2']);
    expect(await counts(store, 2)).toEqual({ ItemAdded: 30, ItemRemoved: 10 });
  });

  it('switches a rebuild over when its catch-up ends on a full batch', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 20); // two batches of 10, then nothing
    const host = aHost(log, store, cartsProjection().projection);
    await host.start();
    await caughtUp(host, log);
    await host.rebuild('carts');
    await vi.waitFor(async () => expect((await host.meta('carts')).serving?.generation).toBe(2), {
      timeout: 10_000,
      interval: 50,
    });
    expect(await counts(store, 2)).toEqual({ ItemAdded: 15, ItemRemoved: 5 });
  });

  it('handles a burst that puts it behind once live as live batches, not as a catch-up', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 25);
    let gate = Promise.resolve();
    const carts = cartsProjection({ beforeHandle: () => gate });
    const host = aHost(log, store, carts.projection);
    await host.start();
    await caughtUp(host, log);
    expect(carts.handled.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(carts.catchingUp).toEqual([true, true, false]);

    // One event is held in the projection while thirty more arrive behind it.
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    await appendItems(log, 25, 1);
    await vi.waitFor(() => expect(carts.handled).toHaveLength(4), { timeout: 10_000 });
    await appendItems(log, 26, 30);
    release();
    await caughtUp(host, log);
    const burst = carts.handled.slice(4).map((batch) => batch.length);
    expect(burst.filter((size) => size === 10).length).toBeGreaterThanOrEqual(2);
    expect(carts.catchingUp.slice(3)).toEqual(burst.map(() => false).concat(false));
    expect(await counts(store)).toEqual({ ItemAdded: 42, ItemRemoved: 14 });
  });

  it('reports lag while behind, none once caught up, and the throughput', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 45);
    const head = await headOf(log);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const carts = cartsProjection({ beforeHandle: async () => (++batches > 1 ? held : undefined) });
    const host = aHost(log, store, carts.projection);
    await host.start();
    try {
      expect((await host.status('carts')).serving!.lagEvents).toBeGreaterThan(0);
      await host.serving('carts')!.waitFor(1, 10_000);
      const behind = (await host.status('carts')).serving!;
      expect(behind.processed).toBe(10);
      expect(behind.lagEvents).toBe(head - behind.checkpoint);
      expect(behind.lagEvents).toBeGreaterThan(0);
      expect(behind.lagSeconds).toBeGreaterThan(0);
    } finally {
      release();
    }
    await caughtUp(host, log);
    const status = (await host.status('carts')).serving!;
    expect(status).toMatchObject({ state: 'running', checkpoint: head, processed: 45 });
    expect(status).toMatchObject({ lagEvents: 0, lagSeconds: 0 });
    expect(status.eventsPerSecond).toBeGreaterThan(0);
  });

  it('settles later when the projection asks, without waiting for another event', async () => {
    const { log, store } = openReadSide();
    await appendItems(log, 0, 5);
    const { projection } = cartsProjection();
    const steps: number[] = [];
    const started = performance.now();
    const host = aHost(log, store, {
      ...projection,
      settle: () => {
        steps.push(performance.now() - started);
        return Promise.resolve(steps.length < 3 ? { after: 100 } : false);
      },
    });
    await host.start();
    const runner = host.serving('carts')!;
    expect(await runner.waitFor(await headOf(log), 10_000)).toBe(true);
    expect(runner.settled).toBe(false);
    expect(await runner.waitFor(await headOf(log), 10_000, { settled: true })).toBe(true);
    // The first step at the start, the second after the batch, and the third when the earliest
    // time asked for has come (the first step's; the second's, later, does not push it back): no
    // busy loop between. How long the batch took after the start varies with the machine.
    expect(steps).toHaveLength(3);
    expect(steps[2]! - steps[0]!).toBeGreaterThanOrEqual(95);
  });
});
