import {
  PROFILES_COLLECTION,
  profileKeys,
  profilesProjection,
  projectionStorage,
  type Profile,
} from '@uspa/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../adapters/sqlite/sqlite-read-model-store.js';
import { runCli, type CliRun } from '../testing/run-cli.js';
import type { StoredProjectionStatus } from './projection-status.js';

const VERSION = profilesProjection().version;

const dataDir = mkdtempSync(join(tmpdir(), 'uspa-projections-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const uspa = (args: string[]): Promise<CliRun> => runCli(args, { USPA_DATA_DIR: dataDir });

const status = async (): Promise<StoredProjectionStatus> => {
  const run = await uspa(['projections', 'status', '--json']);
  expect(run.code, run.stderr).toBe(0);
  const { projections } = JSON.parse(run.stdout) as { projections: StoredProjectionStatus[] };
  expect(projections.map((projection) => projection.name)).toEqual(['profiles']);
  return projections[0]!;
};

/** Appends interactions as collection stores them; returns the position of the last one. */
async function append(
  events: { streamId: string; type: string; data: Record<string, unknown> }[],
): Promise<number> {
  const store = new SqliteEventStore({
    file: join(dataDir, 'events.db'),
    synchronous: 'FULL',
    pollIntervalMs: 50,
  });
  let position = 0;
  for (const { streamId, type, data } of events) {
    position = (await store.append(streamId, [{ type, data }])).position;
  }
  await store.close();
  return position;
}

/** What the serving generation holds, read straight from the embedded read models. */
async function readModel(generation: number) {
  const store = SqliteReadModelStore.open(join(dataDir, 'read-models.sqlite'));
  try {
    const prefix = projectionStorage.keyPrefix({ projection: 'profiles', generation });
    const id = await store.keyValues.get(prefix + profileKeys.owner('user_id:42'));
    const json = id && (await store.keyValues.get(prefix + profileKeys.profile(id)));
    const collections = await store.documents.listCollections(PROFILES_COLLECTION);
    const generations = new Set<string>();
    for await (const key of store.keyValues.scanPrefix('profiles:g')) {
      generations.add(key.slice(0, key.indexOf(':', 'profiles:'.length)));
    }
    return {
      ada: json ? (JSON.parse(json) as Profile) : undefined,
      collections: collections.toSorted(),
      keyPrefixes: [...generations].toSorted(),
    };
  } finally {
    await store.close();
  }
}

let lastPosition: number;
beforeAll(async () => {
  lastPosition = await append([
    { streamId: 'anon-a-1', type: 'PageViewed', data: { anonymousId: 'a-1', name: 'Home' } },
    {
      streamId: 'user-42',
      type: 'Identified',
      data: { userId: '42', anonymousId: 'a-1', traits: { email: 'ada@example.com' } },
    },
    {
      streamId: 'user-42',
      type: 'Tracked',
      data: { userId: '42', event: 'Order Completed', properties: { revenue: 12.5 } },
    },
  ]);
});

describe('uspa projections and uspa replay', () => {
  it('shows a projection that never ran', async () => {
    expect(await status()).toEqual({ name: 'profiles', version: VERSION });
    const run = await uspa(['projections', 'status']);
    expect(run.stdout).toBe(`profiles  v${VERSION}  never started\n`);
  });

  it('replays every projection into a new generation that then serves', async () => {
    const run = await uspa(['replay']);
    expect(run.code, run.stderr).toBe(0);
    // On first run the host creates generation 1, then the replay builds generation 2.
    const result = new RegExp(
      `^profiles: generation 2 serves, checkpoint ${lastPosition}, 3 events in [\\d.]+ s \\(([\\d,]+) events/s\\)\\n$`,
    ).exec(run.stdout);
    expect(result, run.stdout).not.toBeNull();
    expect(run.stderr).toContain('rebuild profiles: generation 2 started\n');
    // The last progress line gives the whole rebuild's rate, as the result line does.
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `rebuild profiles: 100% of the log, 3 events, ${result?.[1]} events/s`,
    );
    expect(await status()).toEqual({
      name: 'profiles',
      version: VERSION,
      serving: { generation: 2, version: VERSION, checkpoint: lastPosition, lagEvents: 0 },
    });
    const { ada, collections, keyPrefixes } = await readModel(2);
    expect(ada).toMatchObject({
      identifiers: ['anonymous_id:a-1', 'user_id:42', 'email:ada@example.com'],
      counters: { total: 3 },
      ecommerce: { orders: 1, revenue: 12.5 },
    });
    // Generation 1 is gone, not left behind.
    expect(collections).toEqual(['profiles_g2']);
    expect(keyPrefixes).toEqual(['profiles:g2']);
  });

  it('shows the lag of events collected since, and rebuilds one projection', async () => {
    const position = await append([
      {
        streamId: 'user-42',
        type: 'Tracked',
        data: { userId: '42', event: 'Order Completed', properties: { revenue: 7.5 } },
      },
    ]);
    expect((await status()).serving).toEqual({
      generation: 2,
      version: VERSION,
      checkpoint: lastPosition,
      lagEvents: position - lastPosition,
    });
    const text = await uspa(['projections', 'status']);
    expect(text.stdout).toBe(
      `profiles  v${VERSION}  serving generation 2  checkpoint ${lastPosition}  lag ${position - lastPosition}\n`,
    );

    const run = await uspa(['projections', 'rebuild', 'profiles']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^profiles: generation 3 serves, checkpoint \d+, 4 events in/);
    expect((await status()).serving).toEqual({
      generation: 3,
      version: VERSION,
      checkpoint: position,
      lagEvents: 0,
    });
    const { ada, collections, keyPrefixes } = await readModel(3);
    expect(ada).toMatchObject({ counters: { total: 4 }, ecommerce: { orders: 2, revenue: 20 } });
    expect(collections).toEqual(['profiles_g3']);
    expect(keyPrefixes).toEqual(['profiles:g3']);
  });

  it('refuses an unknown projection with one line, and rebuilds nothing', async () => {
    const run = await uspa(['projections', 'rebuild', 'unknown']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('uspa: no projection named "unknown" (projections: profiles)\n');
    expect(run.stdout).toBe('');
    expect((await status()).serving?.generation).toBe(3);
  });
});
