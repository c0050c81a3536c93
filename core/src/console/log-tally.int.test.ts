import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECTION_DEAD_LETTER_REPLAYED, PROJECTION_EVENT_PARKED } from '@uspa/projections';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import {
  PLUGIN_DEAD_LETTER_REPLAYED,
  PLUGIN_EVENT_DEAD_LETTERED,
} from '../plugins/host/plugin-dead-letters.js';
import { LogTally, RECENT_NAMES } from './log-tally.js';

let store: SqliteEventStore;

beforeEach(() => {
  store = new SqliteEventStore({ file: ':memory:', synchronous: 'FULL', pollIntervalMs: 20 });
});

afterEach(async () => {
  await store.close();
});

const tracked = (event: string) => ({ type: 'Tracked', data: { userId: 'ada', event } });

describe('LogTally (embedded store)', () => {
  it('counts the whole log by type, rejections and dead letters still to replay', async () => {
    await store.append('user-ada', [tracked('Signed Up'), tracked('Signed Up')]);
    await store.append('anon-v1', [
      { type: 'PageViewed', data: { anonymousId: 'v1', name: 'Home' } },
    ]);
    await store.append('deadletter-ingestion', [{ type: 'IngestionRejected', data: {} }]);
    await store.append('deadletter-projection-profiles', [
      { type: PROJECTION_EVENT_PARKED, data: {} },
      { type: PROJECTION_EVENT_PARKED, data: {} },
      { type: PROJECTION_DEAD_LETTER_REPLAYED, data: { outcome: 'failed' } },
      { type: PROJECTION_DEAD_LETTER_REPLAYED, data: { outcome: 'applied' } },
    ]);
    await store.append('deadletter-plugin-crm', [
      { type: PLUGIN_EVENT_DEAD_LETTERED, data: {} },
      { type: PLUGIN_DEAD_LETTER_REPLAYED, data: { outcome: 'delivered' } },
      { type: PLUGIN_EVENT_DEAD_LETTERED, data: {} },
    ]);
    const tally = new LogTally(store, { pageSize: 3 });
    await tally.refresh();
    const snapshot = tally.snapshot();
    expect(snapshot.total).toBe(11);
    expect(snapshot.byType).toEqual({
      Tracked: 2,
      [PROJECTION_EVENT_PARKED]: 2,
      [PROJECTION_DEAD_LETTER_REPLAYED]: 2,
      [PLUGIN_EVENT_DEAD_LETTERED]: 2,
      PageViewed: 1,
      IngestionRejected: 1,
      [PLUGIN_DEAD_LETTER_REPLAYED]: 1,
    });
    expect(snapshot.rejections).toBe(1);
    expect(snapshot.deadLetters).toEqual({ projections: 1, plugins: 1 });
    expect(snapshot.recentNames()).toEqual(['Signed Up', 'Signed Up', 'Home']);
  });

  it('reads only what was appended since, and keeps the names of the latest 10,000 interactions', async () => {
    const tally = new LogTally(store);
    await store.append('user-ada', [tracked('Old'), tracked('Old')]);
    await tally.refresh();
    expect(tally.snapshot().byType).toEqual({ Tracked: 2 });
    await store.append(
      'user-ada',
      Array.from({ length: RECENT_NAMES - 2 }, () => tracked('New')),
    );
    await store.append('user-ada', [{ type: 'Identified', data: { userId: 'ada' } }]);
    await Promise.all([tally.refresh(), tally.refresh()]);
    const snapshot = tally.snapshot();
    expect(snapshot.byType).toEqual({ Tracked: RECENT_NAMES, Identified: 1 });
    // The latest 10,000 interactions: one Old, 9,998 New, and an identify, which has no name.
    const names = snapshot.recentNames();
    expect(names).toHaveLength(RECENT_NAMES - 1);
    expect(names[0]).toBe('Old');
    expect(names.slice(1).every((name) => name === 'New')).toBe(true);
  });

  it('counts interaction events per minute of recording', async () => {
    const minute = (at: number) => at - (at % 60_000);
    if (60_000 - (Date.now() % 60_000) < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const tally = new LogTally(store);
    await store.append('user-ada', [
      tracked('A'),
      tracked('B'),
      { type: 'SegmentEntered', data: {} },
    ]);
    await tally.refresh();
    const now = Date.now();
    expect(tally.interactionsIn(minute(now))).toBe(2);
    expect(tally.interactionsIn(minute(now) - 60_000)).toBe(0);
  });
});
