import type { Profile } from '@uspa/projections';
import { describe, expect, it } from 'vitest';
import { ContentRuleDirectory } from '../content/content-rule-directory.js';
import type { ProfileQueries } from '../profiles/profile-queries.js';
import { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import { ReadModelPersonalization } from './read-model-personalization.js';

/** A read model whose stored segments the test sets, as a commit would. */
function storedProfiles() {
  const stored = { segments: [] as string[], reads: 0 };
  const queries = {
    get: async (identifier: string) => {
      stored.reads++;
      expect(identifier).toBe('anonymous_id:a1');
      return { segments: [...stored.segments] } as unknown as Profile;
    },
  } as unknown as ProfileQueries;
  return { stored, queries };
}

describe('ReadModelPersonalization', () => {
  it('reads a visitor’s segments only once the changes told as decided are committed', async () => {
    const feed = new ProfileChangeFeed();
    const { stored, queries } = storedProfiles();
    const source = new ReadModelPersonalization(queries, new ContentRuleDirectory(), feed);
    expect(await source.segmentsOf({ anonymousId: 'a1' })).toEqual([]);

    // The visitor was just told it entered `vip`; the read model has not committed it yet.
    const entered = {
      profileId: 'p1',
      identifiers: ['anonymous_id:a1'],
      segments: ['vip'],
      mergedFrom: [],
    };
    feed.decide([entered]);
    const snapshot = source.segmentsOf({ anonymousId: 'a1' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored.reads).toBe(1);

    stored.segments = ['vip'];
    feed.publish([entered]);
    expect(await snapshot).toEqual(['vip']);
  });
});
