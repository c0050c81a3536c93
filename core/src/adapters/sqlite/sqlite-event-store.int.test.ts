import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { eventStoreContract } from '../../testing/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('sqlite file', {
  create: () =>
    Promise.resolve(
      new SqliteEventStore({
        file: join(dir, 'events.db'),
        synchronous: 'FULL',
        pollIntervalMs: 50,
      }),
    ),
});
