/**
 * Commit windows: while catching up, the runner lets consecutive full batches of the profile
 * projection share one commit, and the projection writes a profile changed in several of them
 * once. The read model must be the one a batch-per-commit build gives, also when a batch fails
 * inside a window (the runner then reads again from its last checkpoint).
 */
import { SqliteEventStore, SqliteReadModelStore, type EventStore } from '@uspa/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import type { Projection } from '../runtime/projection.js';
import {
  anInteraction,
  given,
  project,
  snapshot,
  type GivenInteraction,
} from '../testing/index.js';
import { profilesProjection } from './profiles.projection.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openLog(): { log: EventStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'uspa-window-'));
  const log = new SqliteEventStore({
    file: join(dir, 'events.sqlite'),
    synchronous: 'NORMAL',
    pollIntervalMs: 20,
  });
  cleanups.push(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { log, dir };
}

function openStore(dir: string, name: string): ReadModelStore {
  const store = SqliteReadModelStore.open(join(dir, `${name}.sqlite`));
  cleanups.push(() => store.close());
  return store;
}

/** Visitors browse, sign in (merging their browsers' profiles) and order, in a fixed order. */
function interactions(count: number): GivenInteraction[] {
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(start + i * 60_000).toISOString();
    const visitor = `v-${(i * 7) % 40}`;
    const user = `u-${((i * 7) % 40) % 15}`;
    if (i % 5 === 0) {
      const traits = { email: `${user}@example.com`, plan: ['free', 'pro'][i % 2] };
      return anInteraction('identify').anonymous(visitor).user(user).traits(traits).at(at).build();
    }
    if (i % 7 === 0) {
      return anInteraction('track')
        .user(user)
        .named('Order Completed')
        .properties({ order_id: `o-${i}`, revenue: 10 + (i % 90) })
        .at(at)
        .build();
    }
    return anInteraction('page').anonymous(visitor).at(at).build();
  });
}

/**
 * Builds `projection` over the log, as the harness does, in batches of 10; answers how many
 * commits moved the checkpoint (counted at the store, so none is missed).
 */
async function build(
  log: EventStore,
  store: ReadModelStore,
  projection: Projection,
  commitWindow: number,
): Promise<number> {
  let commits = 0;
  const commit = store.commit.bind(store);
  store.commit = (changes) => {
    if (changes.checkpoint !== undefined) commits++;
    return commit(changes);
  };
  await project(log, store, [projection], { batchSize: 10, commitWindow });
  return commits;
}

/** A snapshot in which each `merged:` pointer is replaced by the profile it finally leads to. */
async function profilesOf(store: ReadModelStore) {
  const { keyValues, documents } = await snapshot(store, profilesProjection());
  const resolved = { ...keyValues };
  for (const key of Object.keys(resolved).filter((k) => k.startsWith('merged:'))) {
    let id = resolved[key]!;
    for (let hop = 0; keyValues[`merged:${id}`] !== undefined && hop < 100; hop++) {
      id = keyValues[`merged:${id}`]!;
    }
    resolved[key] = id;
  }
  return { keyValues: resolved, documents };
}

describe('commit windows of the profile projection', () => {
  it('give the profiles of a batch-per-commit build, with one commit per window', async () => {
    const { log, dir } = openLog();
    await given(log, interactions(300));
    const windowed = openStore(dir, 'windowed');
    const single = openStore(dir, 'single');

    const windowCommits = await build(log, windowed, profilesProjection(), 50);
    const batchCommits = await build(log, single, profilesProjection(), 0);

    expect(await profilesOf(windowed)).toEqual(await profilesOf(single));
    expect(Object.keys((await profilesOf(windowed)).keyValues).length).toBeGreaterThan(40);
    // 300 events in batches of 10: 30 commits one by one, 6 in windows of 50 events.
    expect(batchCommits).toBeGreaterThanOrEqual(30);
    expect(windowCommits).toBeLessThanOrEqual(8);
  });

  it('end sooner when the projection holds its limit of changed profiles', async () => {
    const { log, dir } = openLog();
    await given(log, interactions(300));
    const bounded = openStore(dir, 'bounded');
    const whole = openStore(dir, 'whole');
    const single = openStore(dir, 'single');

    // One window for all 300 events, unless 12 changed profiles end it sooner.
    const boundedCommits = await build(
      log,
      bounded,
      profilesProjection({ maxHeldProfiles: 12 }),
      300,
    );
    const wholeCommits = await build(log, whole, profilesProjection(), 300);
    await build(log, single, profilesProjection(), 0);

    expect(wholeCommits).toBeLessThanOrEqual(2);
    // Visitors come back every 40 events: a batch of 10 changes 10 profiles, so 12 are held
    // after two batches, and windows end about every second batch (15 commits here).
    expect(boundedCommits).toBeGreaterThanOrEqual(10);
    expect(await profilesOf(bounded)).toEqual(await profilesOf(single));
    expect(await profilesOf(whole)).toEqual(await profilesOf(single));
  });

  it('read again from the checkpoint when a batch fails inside a window, losing nothing', async () => {
    const { log, dir } = openLog();
    await given(log, interactions(300));
    const inner = profilesProjection();
    let calls = 0;
    const flaky: Projection = {
      ...inner,
      handle(events, context) {
        // The 8th batch is the third of the second window: two batches are waiting in it.
        if (++calls === 8) return Promise.reject(new Error('storage hiccup'));
        return inner.handle(events, context);
      },
    };
    const windowed = openStore(dir, 'windowed');
    const single = openStore(dir, 'single');

    await build(log, windowed, flaky, 50);
    await build(log, single, profilesProjection(), 0);

    expect(calls).toBeGreaterThan(31);
    expect(await profilesOf(windowed)).toEqual(await profilesOf(single));
  });
});
