import type { ProfileChange } from '@uspa/projections';
import { describe, expect, it } from 'vitest';
import { ProfileChangeFeed } from './profile-change-feed.js';

const aChange = (profileId: string, segments: string[]): ProfileChange => ({
  profileId,
  identifiers: [`anonymous_id:${profileId}`],
  segments,
  mergedFrom: [],
});

function listening(feed: ProfileChangeFeed) {
  const heard = { local: [] as string[], committed: [] as string[] };
  feed.subscribe((change) => heard.local.push(change.profileId));
  feed.subscribeCommitted((change) => heard.committed.push(change.profileId));
  return heard;
}

describe('ProfileChangeFeed', () => {
  it('tells a decided change locally at once, and to committed listeners after its commit', () => {
    const feed = new ProfileChangeFeed();
    const heard = listening(feed);
    const entered = aChange('p1', ['vip']);
    feed.decide([entered]);
    expect(heard).toEqual({ local: ['p1'], committed: [] });
    // The commit announces it again with a change of settling: each is heard locally once.
    feed.publish([entered, aChange('p2', [])]);
    expect(heard).toEqual({ local: ['p1', 'p2'], committed: ['p1', 'p2'] });
  });

  it('lets a read wait for the commit of what was decided, and no longer than its limit', async () => {
    const feed = new ProfileChangeFeed();
    const waited = async (timeoutMs?: number) => {
      const started = performance.now();
      await feed.committed(timeoutMs);
      return performance.now() - started;
    };
    expect(await waited()).toBeLessThan(5);

    const entered = aChange('p1', ['vip']);
    feed.decide([entered]);
    setTimeout(() => feed.publish([entered]), 60);
    expect(await waited()).toBeGreaterThanOrEqual(50);
    expect(await waited()).toBeLessThan(5);

    // A commit that never comes (a failing projection) holds a read back for the limit only.
    feed.decide([aChange('p2', ['vip'])]);
    const held = await waited(80);
    expect(held).toBeGreaterThanOrEqual(70);
    expect(held).toBeLessThan(1_000);
  });
});
