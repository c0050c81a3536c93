/**
 * A small projection and a fault-injecting store for the runtime specs: `carts` counts events per
 * type (key-values) and keeps one document per cart stream, recording what it was handed.
 */
import type { EventStore } from '@uspa/core';
import type { RecordedEvent } from '@uspa/sdk';
import type { ReadModelChanges, ReadModelStore } from '../ports/read-model-store.port.js';
import { projectionStorage } from './projection-storage.js';
import { defineProjection } from './projection.js';

export const TYPES = ['ItemAdded', 'ItemRemoved'];
export const n = (event: RecordedEvent): number => (event.data as { n: number }).n;

export interface CartsOptions {
  /** Events it throws for, with the message `cannot count item <n>`. */
  poison?: (event: RecordedEvent) => boolean;
  /** Runs before each batch: a delay or a gate. */
  beforeHandle?: (events: readonly RecordedEvent[]) => Promise<void>;
}

/** Counts events per type (key-values) and keeps one document per cart stream. */
export function cartsProjection(options: CartsOptions = {}) {
  const handled: RecordedEvent[][] = [];
  /** `context.catchingUp` of each batch handed over, in order. */
  const catchingUp: boolean[] = [];
  const redelivered: number[] = [];
  const projection = defineProjection({
    name: 'carts',
    version: 1,
    handles: TYPES,
    collections: { carts: { fields: { items: 'number' } } },
    async handle(events, context) {
      handled.push([...events]);
      catchingUp.push(context.catchingUp);
      await options.beforeHandle?.(events);
      for (const event of events) {
        if (options.poison?.(event)) throw new Error(`cannot count item ${n(event)}`);
        if (context.redelivery) redelivered.push(n(event));
        context.keyValues.write({ op: 'incrBy', key: `count:${event.type}`, by: 1 });
        const cart = await context.documents.get('carts', event.streamId);
        const items = Number(cart?.items ?? 0) + (event.type === 'ItemAdded' ? 1 : -1);
        context.documents.put('carts', event.streamId, { items, lastN: n(event) });
      }
    },
  });
  return { projection, handled, catchingUp, redelivered };
}

/** Item `i` goes to cart `i % 3`; every fourth one removes an item. */
export async function appendItems(log: EventStore, from: number, count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, k) => from + k);
  await Promise.all(
    items.map((i) =>
      log.append(`cart-${i % 3}`, [{ type: TYPES[i % 4 === 3 ? 1 : 0]!, data: { n: i } }]),
    ),
  );
}

/** A ReadModelStore whose batch commits fail while `failing` is set, as a Redis outage would. */
export class FlakyReadModelStore implements ReadModelStore {
  failing = false;
  refused = 0;
  constructor(private readonly store: ReadModelStore) {}
  get documents() {
    return this.store.documents;
  }
  get keyValues() {
    return this.store.keyValues;
  }
  async commit(changes: ReadModelChanges): Promise<void> {
    if (this.failing && changes.checkpoint) {
      this.refused += 1;
      throw new Error('read-model store offline');
    }
    return this.store.commit(changes);
  }
  loadCheckpoint = (name: string) => this.store.loadCheckpoint(name);
  deleteCheckpoint = (name: string) => this.store.deleteCheckpoint(name);
  ping = () => this.store.ping();
  close = () => this.store.close();
}

/** Position of the last `carts` event in the log (0 when none). */
export async function headOf(log: EventStore): Promise<number> {
  const [last] = await log.readAll({
    direction: 'backwards',
    maxCount: 1,
    filter: { eventTypes: TYPES },
  });
  return last?.position ?? 0;
}

/** The per-type counts a generation of `carts` holds. */
export async function counts(
  store: ReadModelStore,
  generation = 1,
): Promise<Record<string, number>> {
  const prefix = projectionStorage.keyPrefix({ projection: 'carts', generation });
  const values = await store.keyValues.getMany(TYPES.map((type) => `${prefix}count:${type}`));
  return Object.fromEntries(TYPES.map((type, i) => [type, Number(values[i] ?? 0)]));
}
