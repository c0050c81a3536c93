/**
 * The one place where stream names are made (design §4). Readers filter by these prefixes, so a
 * name never changes meaning.
 */
export const STREAM_PREFIX = {
  user: 'user-',
  anonymous: 'anon-',
  profile: 'profile-',
  product: 'product-',
  segment: 'segment-',
  contentRule: 'contentrule-',
  trackingPlan: 'trackingplan-',
  plugin: 'plugin-',
  apiKey: 'apikey-',
  campaign: 'campaign-',
  webhook: 'webhook-',
} as const;

export const streamOf = {
  user: (userId: string): string => `${STREAM_PREFIX.user}${userId}`,
  anonymous: (anonymousId: string): string => `${STREAM_PREFIX.anonymous}${anonymousId}`,
  /** A call carrying a userId belongs to the user; otherwise to its anonymous visitor. */
  interaction: (ids: { userId?: string; anonymousId?: string }): string =>
    ids.userId !== undefined
      ? streamOf.user(ids.userId)
      : streamOf.anonymous(ids.anonymousId ?? ''),
  profile: (profileId: string): string => `${STREAM_PREFIX.profile}${profileId}`,
  trackingPlan: (id: string): string => `${STREAM_PREFIX.trackingPlan}${id}`,
  segment: (id: string): string => `${STREAM_PREFIX.segment}${id}`,
  contentRule: (id: string): string => `${STREAM_PREFIX.contentRule}${id}`,
  apiKey: (id: string): string => `${STREAM_PREFIX.apiKey}${id}`,
  plugin: (name: string): string => `${STREAM_PREFIX.plugin}${name}`,
  /** Events a plugin's consumer could not deliver, kept until an operator replays them. */
  pluginDeadLetters: (name: string): string => `deadletter-plugin-${name}`,
  webhook: (source: string): string => `${STREAM_PREFIX.webhook}${source}`,
  /** Events a projection could not handle, parked until an operator replays them. */
  projectionDeadLetters: (projection: string): string => `deadletter-projection-${projection}`,
  /** Messages the ingestion pipeline refused, with their reasons. */
  ingestionDeadLetters: (): string => 'deadletter-ingestion',
};
