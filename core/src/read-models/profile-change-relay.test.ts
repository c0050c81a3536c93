import type { ProfileChange } from '@uspa/projections';
import { describe, expect, it } from 'vitest';
import { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { ProfileChangeReceiver, ProfileChangeSender } from './profile-change-relay.js';

const aChange = (profileId: string, segments: string[]): ProfileChange => ({
  profileId,
  identifiers: [`anonymous_id:${profileId}`],
  segments,
  mergedFrom: [],
});

/** A feed on the far side of a thread: every message is copied, as `postMessage` copies it. */
function acrossAThread() {
  const feed = new ProfileChangeFeed();
  const receiver = new ProfileChangeReceiver(feed);
  const sender = new ProfileChangeSender((message) => receiver.receive(structuredClone(message)));
  const heard = { local: [] as string[], committed: [] as string[] };
  feed.subscribe((change) => heard.local.push(`${change.profileId}:${change.segments.join()}`));
  feed.subscribeCommitted((change) => heard.committed.push(change.profileId));
  return { feed, sender, heard };
}

describe('profile changes relayed from the projection thread', () => {
  it('are heard once each, decided ones at once and all of them again once committed', () => {
    const { sender, heard } = acrossAThread();
    const entered = aChange('p1', ['vip']);
    sender.decide([entered]);
    expect(heard).toEqual({ local: ['p1:vip'], committed: [] });

    // The commit publishes the decided change again (the same object) and one of settling.
    sender.publish([aChange('p2', []), entered]);
    expect(heard).toEqual({ local: ['p1:vip', 'p2:'], committed: ['p2', 'p1'] });
  });

  it('let a read of the serving thread wait for the commit of what was decided', async () => {
    const { feed, sender } = acrossAThread();
    const entered = aChange('p1', ['vip']);
    sender.decide([entered]);
    let committed = false;
    const waiting = feed.committed(5_000).then(() => (committed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(committed).toBe(false);
    sender.publish([entered]);
    await waiting;
    expect(committed).toBe(true);
  });

  it('forget the oldest decisions never published once 10,000 wait, so retries cannot pile up', () => {
    const { sender, heard } = acrossAThread();
    const decided = Array.from({ length: 10_001 }, (_, n) => aChange(`p${n}`, ['vip']));
    for (const change of decided) sender.decide([change]);
    sender.publish([decided[0]!, decided[10_000]!]);
    expect(heard.committed).toEqual(['p10000']);
  });

  it('send a change decided again after a failed commit as the new decision', () => {
    const { sender, heard } = acrossAThread();
    sender.decide([aChange('p1', ['vip'])]);
    // The batch is handled again after a retry: new change objects, decided and published.
    const again = aChange('p1', ['vip', 'trial']);
    sender.decide([again]);
    sender.publish([again]);
    expect(heard).toEqual({ local: ['p1:vip', 'p1:vip,trial'], committed: ['p1'] });
  });
});
