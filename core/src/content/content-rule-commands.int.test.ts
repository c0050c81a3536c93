import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import type { ContentRuleInput } from '../domain/content-rules.js';
import { UspaError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';
import {
  createContentRule,
  deleteContentRule,
  replaceContentRule,
} from './content-rule-commands.js';

const input: ContentRuleInput = {
  name: 'Sale',
  slot: 'hero',
  content: { title: 'Sale' },
  priority: 0,
};
const stores: EventStore[] = [];
const aStore = () => {
  const store = new SqliteEventStore({ file: ':memory:', synchronous: 'FULL', pollIntervalMs: 20 });
  stores.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** A store on which another writer replaces the rule right after each read, as another process could. */
function racingStore(store: EventStore, id: string): EventStore {
  return {
    append: (...args) => store.append(...args),
    readStream: async (...args) => {
      const read = await store.readStream(...args);
      await replaceContentRule(store, id, { ...input, name: 'Written meanwhile' });
      return read;
    },
    readAll: (...args) => store.readAll(...args),
    subscribeToAll: (...args) => store.subscribeToAll(...args),
    deleteStream: (...args) => store.deleteStream(...args),
    tombstoneStream: (...args) => store.tombstoneStream(...args),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

describe('content rule commands', () => {
  it('numbers versions from 1 and keeps the creation time on replace', async () => {
    const store = aStore();
    const created = await createContentRule(store, input, new Date('2026-03-01T00:00:00Z'), 'r1');
    const replaced = await replaceContentRule(
      store,
      'r1',
      { ...input, priority: 5 },
      { ifMatch: 1 },
      new Date('2026-03-02T00:00:00Z'),
    );
    expect(created).toMatchObject({ id: 'r1', version: 1, createdAt: '2026-03-01T00:00:00.000Z' });
    expect(replaced).toMatchObject({
      version: 2,
      priority: 5,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-02T00:00:00.000Z',
    });
  });

  it('never creates a rule under an id already taken', async () => {
    const store = aStore();
    await createContentRule(store, input, new Date(), 'r1');
    await expect(createContentRule(store, input, new Date(), 'r1')).rejects.toMatchObject({
      status: 409,
    });
  });

  it('refuses with 412 a change whose version was overtaken between read and append', async () => {
    const store = aStore();
    await createContentRule(store, input, new Date(), 'r1');
    const racing = racingStore(store, 'r1');
    const error = await replaceContentRule(racing, 'r1', input, { ifMatch: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UspaError);
    expect(error).toMatchObject({ status: 412, code: 'precondition_failed' });
    const deletion = await deleteContentRule(racing, 'r1', { ifMatch: 2 }).catch((e: unknown) => e);
    expect(deletion).toMatchObject({ status: 412 });
    const { events } = await store.readStream('contentrule-r1');
    expect(events.map((event) => (event.data as { name?: string }).name)).toEqual([
      'Sale',
      'Written meanwhile',
      'Written meanwhile',
    ]);
  });

  it('treats a deleted rule as absent', async () => {
    const store = aStore();
    await createContentRule(store, input, new Date(), 'r1');
    await deleteContentRule(store, 'r1');
    await expect(replaceContentRule(store, 'r1', input)).rejects.toMatchObject({ status: 404 });
    await expect(deleteContentRule(store, 'r1')).rejects.toMatchObject({ status: 404 });
  });
});
