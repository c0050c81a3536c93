import type { SlotContent } from '@uspa/sdk';
import { ContentRuleClock } from '../content/content-rule-clock.js';
import type { ContentRuleDirectory } from '../content/content-rule-directory.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { ProfileQueries } from '../profiles/profile-queries.js';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import type {
  PersonalizationFeed,
  PersonalizationSource,
  VisitorIdentity,
} from './personalization.port.js';

/**
 * Personalisation from the read models: a visitor's segments are those recorded on their
 * profile (found by verified user id, else anonymous id), content comes from the content rules.
 * Rules with an inline condition instead of a segment are not resolved here: the gateway knows a
 * visitor by memberships only, so such rules apply to pages rendered with the profile at hand.
 *
 * Visitors hear a live change before the read model holds it (`ProfileChangeFeed`): a read
 * first waits for those changes to be committed, or a snapshot sent meanwhile (a page load, a
 * navigation) would take back what the visitor was just sent.
 */
export class ReadModelPersonalization implements PersonalizationSource {
  constructor(
    private readonly profiles: ProfileQueries,
    private readonly rules: ContentRuleDirectory,
    private readonly changes: Pick<ProfileChangeFeed, 'committed'>,
    private readonly now: () => number = Date.now,
  ) {}

  async segmentsOf(visitor: VisitorIdentity): Promise<string[]> {
    await this.changes.committed();
    const identifier =
      visitor.userId === undefined
        ? `anonymous_id:${visitor.anonymousId}`
        : `user_id:${visitor.userId}`;
    try {
      return (await this.profiles.get(identifier)).segments ?? [];
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ValidationError) return [];
      throw error;
    }
  }

  contentFor(segments: readonly string[], url: string | undefined): Record<string, SlotContent> {
    return this.rules.resolve({ segments: new Set(segments) }, url, this.now());
  }
}

/**
 * What the gateway hears: this process's profile changes (as decided, and once committed) and
 * content-rule changes, and the start and end times of content rules as they come.
 */
export function personalizationFeed(
  changes: ProfileChangeFeed,
  rules: ContentRuleDirectory,
): PersonalizationFeed {
  return {
    onProfileChanged: (listener) => changes.subscribe(listener),
    onProfileCommitted: (listener) => changes.subscribeCommitted(listener),
    onContentRulesChanged: (listener) => rules.onChange(() => listener()),
    onContentTimeReached: (listener) => {
      const watch = new ContentRuleClock(rules, listener);
      return () => watch.stop();
    },
  };
}
