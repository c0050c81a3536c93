import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { opensConsole } from '../domain/api-keys.js';
import { createApiKey } from '../keys/api-key-commands.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { ensureFirstConsoleKey } from './first-console-key.js';

describe('the first console key', () => {
  const dirs: string[] = [];
  const stores: SqliteEventStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'uspa-console-key-'));
    dirs.push(dir);
    const store = new SqliteEventStore({
      file: join(dir, 'events.db'),
      synchronous: 'FULL',
      pollIntervalMs: 20,
    });
    stores.push(store);
    return { dir, store };
  };
  const directoryOf = async (store: SqliteEventStore) => {
    const keys = new ApiKeyDirectory();
    for (const event of await store.readAll({ filter: { streamPrefixes: ['apikey-'] } }))
      keys.apply(event);
    return keys;
  };

  it('is created once on a fresh install, kept in a private file, and opens the console', async () => {
    const { dir, store } = fresh();
    const file = await ensureFirstConsoleKey(store, await directoryOf(store), dir);
    expect(file).toBe(join(dir, 'console-key'));
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file!, 'utf8').trim();
    const keys = await directoryOf(store);
    const key = keys.findBySecret(secret);
    expect(key && opensConsole(key)).toBe(true);
    expect(key?.scopes).toEqual(['console']);

    // A restart finds it and creates nothing more.
    expect(await ensureFirstConsoleKey(store, keys, dir)).toBe(file);
    expect((await directoryOf(store)).list()).toHaveLength(1);
  });

  it('is not created when another key opens the console', async () => {
    const { dir, store } = fresh();
    await createApiKey(store, { type: 'secret', name: 'ops', scopes: ['admin'] });
    expect(await ensureFirstConsoleKey(store, await directoryOf(store), dir)).toBeUndefined();
    expect((await directoryOf(store)).list()).toHaveLength(1);
  });
});
