/** Key-value layout of the profile projection (inside its generation's prefix). */
export const profileKeys = {
  /** Identifier (`type:value`) → profile id. */
  owner: (identifier: string): string => `id:${identifier}`,
  /** Profile id → the profile document (JSON). */
  profile: (profileId: string): string => `profile:${profileId}`,
  /** Merged profile id → the profile it was merged into. */
  mergedInto: (profileId: string): string => `merged:${profileId}`,
  /** Hash of profile ids whose search documents wait to be written (catch-up defers them). */
  pendingIndex: 'index-pending',
};

export const PROFILES_COLLECTION = 'profiles';
