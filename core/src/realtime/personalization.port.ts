import type { ProfileChange } from '@uspa/projections';
import type { SlotContent } from '@uspa/sdk';

/**
 * Who is on the other end of a realtime connection. `userId` is present only when the site's
 * server vouched for it with a valid user hash; a claimed but unproven user id never gets here.
 */
export interface VisitorIdentity {
  anonymousId: string;
  userId?: string;
}

/**
 * A profile's personalization changed, as the profile projection announces it: its segments now,
 * and every identifier it holds (`anonymous_id:a1`, `user_id:42`, `email:…`). The gateway matches
 * connected visitors by the `anonymous_id:` and `user_id:` keys.
 */
export type { ProfileChange };

/**
 * What the realtime gateway asks about a visitor. The gateway never reads a read model or a
 * content rule itself: this port does.
 *
 * @example
 * const source: PersonalizationSource = {
 *   segmentsOf: async (visitor) => (await profiles.byVisitor(visitor))?.segments ?? [],
 *   contentFor: (segments, url) => rules.contentFor(segments, url),
 * };
 */
export interface PersonalizationSource {
  /** Current segments of the visitor's profile; [] when no profile exists yet. */
  segmentsOf(visitor: VisitorIdentity): Promise<string[]>;
  /** Content per slot for these segments on this page, now. */
  contentFor(segments: readonly string[], url: string | undefined): Record<string, SlotContent>;
}

/**
 * Changes observed in this process (the profile projection, content rules). Each listener
 * registration returns the function that removes it.
 *
 * @example
 * const stop = feed.onProfileChanged((change) => console.log(change.segments));
 * stop();
 */
export interface PersonalizationFeed {
  /** Each change once, as early as it is known: before its commit when it can be. */
  onProfileChanged(listener: (change: ProfileChange) => void): () => void;
  /**
   * Each change once its commit is done: what is sent on to other processes, which learn the
   * visitor's segments from the read model.
   */
  onProfileCommitted(listener: (change: ProfileChange) => void): () => void;
  onContentRulesChanged(listener: () => void): () => void;
  /**
   * A content rule's start or end time has come, so the content in force changed without an
   * event. Every process reads its own clock: this is applied locally, never fanned out.
   */
  onContentTimeReached(listener: () => void): () => void;
}

export const PERSONALIZATION_SOURCE = Symbol('PersonalizationSource');
export const PERSONALIZATION_FEED = Symbol('PersonalizationFeed');
