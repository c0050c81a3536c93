import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { eventStoreContract } from '../../testing/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('sqlite file, writer thread', {
  create: () =>
    Promise.resolve(
      new SqliteEventStore({
        file: join(dir, 'events.db'),
        synchronous: 'FULL',
        pollIntervalMs: 50,
      }),
    ),
});

eventStoreContract('sqlite file, inline writer', {
  create: () =>
    Promise.resolve(
      new SqliteEventStore({
        file: join(dir, 'inline.db'),
        synchronous: 'FULL',
        pollIntervalMs: 50,
        writer: 'inline',
      }),
    ),
});

eventStoreContract('sqlite in memory', {
  create: () =>
    Promise.resolve(
      new SqliteEventStore({ file: ':memory:', synchronous: 'FULL', pollIntervalMs: 50 }),
    ),
});
