import {
  PROFILES_COLLECTION,
  PROFILES_PROJECTION,
  ProjectionHost,
  SEGMENT_BACKFILL_KEY,
  SEGMENT_DEFINED,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  profilesProjection,
  projectionStorage,
  type Condition,
  type ProfileChange,
  type SegmentDefinition,
  type SegmentTransitionData,
} from '@uspa/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { SqliteReadModelStore } from '../adapters/sqlite/sqlite-read-model-store.js';
import { streamOf } from '../domain/streams.js';
import { eventually } from '../testing/eventually.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const quiet = { info() {}, warn() {}, error() {} };

/** A clock the test moves: time windows are evaluated with it. */
const clock = { now: T0 };

let dir: string;
let log: SqliteEventStore;
let readModels: SqliteReadModelStore;
let host: ProjectionHost;
let changes: ProfileChange[];
/** Each change heard as decided, with what was committed and logged at that moment. */
let decided: {
  change: ProfileChange;
  committedBefore: boolean;
  streamThen: ReturnType<SqliteEventStore['readStream']>;
}[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uspa-segments-'));
  clock.now = T0;
  changes = [];
  decided = [];
  log = new SqliteEventStore({
    file: join(dir, 'events.sqlite'),
    synchronous: 'NORMAL',
    pollIntervalMs: 10,
  });
  readModels = SqliteReadModelStore.open(join(dir, 'read-models.sqlite'));
  host = new ProjectionHost(
    [
      profilesProjection({
        now: () => clock.now,
        reevaluateIntervalMs: 20,
        onProfilesChanged: (batch) => changes.push(...batch),
        onProfilesDecided: (batch) => {
          for (const change of batch) {
            decided.push({
              change,
              committedBefore: changes.includes(change),
              // The embedded log reads at once: this is its content at the moment of the call.
              streamThen: log.readStream(streamOf.profile(change.profileId)),
            });
          }
        },
      }),
    ],
    { log, store: readModels, logger: quiet },
    {
      batchSize: 500,
      retry: { handlerAttempts: 2, baseDelayMs: 5, maxDelayMs: 50 },
      settleIntervalMs: 20,
    },
  );
  await host.start();
});

afterEach(async () => {
  await host.stop();
  await readModels.close();
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

async function defineSegment(id: string, condition: Condition, version = 1): Promise<void> {
  const at = new Date(clock.now).toISOString();
  const definition: SegmentDefinition = {
    id,
    name: id,
    condition,
    version,
    createdAt: at,
    updatedAt: at,
  };
  await log.append(streamOf.segment(id), [{ type: SEGMENT_DEFINED, data: definition }]);
}

async function order(userId: string, total: number, at: number): Promise<void> {
  await log.append(streamOf.user(userId), [
    {
      type: 'Tracked',
      data: {
        messageId: `${userId}-${at}`,
        userId,
        event: 'Order Completed',
        properties: { total },
        timestamp: new Date(at).toISOString(),
      },
    },
  ]);
}

/** The profile of a user as the read model has it (its KV document). */
async function profileOf(userId: string) {
  const prefix = projectionStorage.keyPrefix({
    projection: PROFILES_PROJECTION,
    generation: (await host.meta(PROFILES_PROJECTION)).serving!.generation,
  });
  const id = await readModels.keyValues.get(`${prefix}id:user_id:${userId}`);
  const json =
    id === undefined ? undefined : await readModels.keyValues.get(`${prefix}profile:${id}`);
  return json === undefined ? undefined : (JSON.parse(json) as { id: string; segments: string[] });
}

async function transitions(profileId: string) {
  const { events } = await log.readStream(streamOf.profile(profileId));
  return events
    .filter((event) => event.type === SEGMENT_ENTERED || event.type === SEGMENT_EXITED)
    .map((event) => {
      const data = event.data as SegmentTransitionData;
      return `${event.type === SEGMENT_ENTERED ? '+' : '-'}${data.segmentId}#${data.sequence} ${data.reason}`;
    });
}

const recentBuyers: Condition = {
  event: { name: 'Order Completed', count: { min: 1 }, within: { lastDays: 30 } },
};
const lapsed: Condition = {
  and: [
    { property: 'ecommerce.orders', op: 'gte', value: 1 },
    { event: { name: 'Order Completed', count: { max: 0 }, within: { lastDays: 30 } } },
  ],
};

describe('segment membership in the profile projection', () => {
  it('enters on a profile change, and a moved time window flips it without a new event', async () => {
    await defineSegment('recent-buyers', recentBuyers);
    await defineSegment('lapsed', lapsed);
    await order('ada', 80, T0 - DAY);

    const entered = await eventually(
      () => profileOf('ada'),
      (p) => p?.segments.length === 1,
    );
    expect(entered?.segments).toEqual(['recent-buyers']);
    expect(await transitions(entered!.id)).toEqual(['+recent-buyers#1 profile_changed']);
    expect(
      changes.some((c) => c.profileId === entered!.id && c.segments.includes('recent-buyers')),
    ).toBe(true);

    // Day 30 after the order: still in the window.
    clock.now = T0 + 28 * DAY;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await profileOf('ada'))?.segments).toEqual(['recent-buyers']);

    // Day 31: the order leaves the window; no event arrives, the scheduler re-evaluates.
    clock.now = T0 + 30 * DAY;
    const moved = await eventually(
      () => profileOf('ada'),
      (p) => p?.segments[0] === 'lapsed',
    );
    expect(moved?.segments).toEqual(['lapsed']);
    expect(await transitions(entered!.id)).toEqual([
      '+recent-buyers#1 profile_changed',
      '+lapsed#1 window_moved',
      '-recent-buyers#2 window_moved',
    ]);
    expect(changes.at(-1)).toMatchObject({ profileId: entered!.id, segments: ['lapsed'] });

    // A new order brings the profile back, as the next transitions of each segment.
    await order('ada', 20, clock.now);
    const back = await eventually(
      () => profileOf('ada'),
      (p) => p?.segments[0] === 'recent-buyers',
    );
    expect(back?.segments).toEqual(['recent-buyers']);
    expect((await transitions(entered!.id)).slice(3).sort()).toEqual([
      '+recent-buyers#3 profile_changed',
      '-lapsed#2 profile_changed',
    ]);
  });

  it('tells of a live change as soon as it is decided: before its decisions are logged and committed', async () => {
    await defineSegment('recent-buyers', recentBuyers);
    await order('ada', 80, T0 - DAY);
    const committed = await eventually(
      async () => changes.find((change) => change.segments.includes('recent-buyers')),
      (change) => change !== undefined,
    );
    const early = decided.find(({ change }) => change === committed);
    expect(early?.committedBefore).toBe(false);
    const streamThen = await early!.streamThen;
    expect(streamThen.events.filter((event) => event.type === SEGMENT_ENTERED)).toEqual([]);
    expect(await transitions(committed!.profileId)).toEqual(['+recent-buyers#1 profile_changed']);
    // Changes found by a moved window, after the commit, are not told as decided first.
    clock.now = T0 + 30 * DAY;
    await eventually(
      async () => changes.at(-1),
      (change) => change !== undefined && change.segments.length === 0,
    );
    expect(decided.map(({ change }) => change.segments)).toEqual([['recent-buyers']]);
  });

  it('backfills a new segment over existing profiles and reports progress until done', async () => {
    for (let i = 0; i < 30; i++) await order(`u${i}`, i * 10, T0 - i * DAY);
    await eventually(
      () => profileOf('u29'),
      (p) => p !== undefined,
    );
    await defineSegment('big-spenders', { property: 'ecommerce.revenue', op: 'gt', value: 200 });

    const last = await eventually(
      () => profileOf('u29'),
      (p) => p?.segments.includes('big-spenders') === true,
    );
    expect(last?.segments).toEqual(['big-spenders']);
    const prefix = projectionStorage.keyPrefix({ projection: PROFILES_PROJECTION, generation: 1 });
    await eventually(
      () => readModels.keyValues.get(prefix + SEGMENT_BACKFILL_KEY),
      (v) => v === undefined,
    );
    const members = await readModels.documents.count(PROFILES_COLLECTION, {
      field: 'segments',
      eq: 'big-spenders',
    });
    expect(members).toBe(9); // u21 … u29: revenue 210 … 290
    expect(await transitions(last!.id)).toEqual(['+big-spenders#1 segment_defined']);
  });

  it('a rebuild restores memberships from the log and appends no transition twice', async () => {
    await defineSegment('recent-buyers', recentBuyers);
    await order('ada', 80, T0 - DAY);
    await order('bob', 30, T0 - 40 * DAY);
    const ada = await eventually(
      () => profileOf('ada'),
      (p) => p?.segments.length === 1,
    );
    clock.now = T0 + 30 * DAY;
    await eventually(
      () => profileOf('ada'),
      (p) => p?.segments.length === 0,
    );
    const before = await transitions(ada!.id);
    expect(before).toEqual(['+recent-buyers#1 profile_changed', '-recent-buyers#2 window_moved']);

    await host.rebuild(PROFILES_PROJECTION);
    await host.awaitRebuild(PROFILES_PROJECTION);
    expect((await host.meta(PROFILES_PROJECTION)).serving?.generation).toBe(2);
    expect((await profileOf('ada'))?.segments).toEqual([]);
    expect((await profileOf('bob'))?.segments).toEqual([]);
    expect(await transitions(ada!.id)).toEqual(before);
  });
});
