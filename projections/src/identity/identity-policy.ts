import { DEFAULT_JUNK_VALUES, type IdentifierType } from './identifiers.js';

/** The guards of identity resolution (issue: "merges with guards"). */
export interface IdentityPolicy {
  /** A profile holds at most one value of these types: two profiles holding different values never merge. */
  uniqueTypes: readonly IdentifierType[];
  /** Anonymous ids beyond this many are not attached to a profile (shared devices, bots). */
  maxAnonymousIds: number;
  /** Values never treated as identifiers (compared lower-cased, trimmed). */
  junkValues: ReadonlySet<string>;
}

export const DEFAULT_IDENTITY_POLICY: IdentityPolicy = {
  uniqueTypes: ['user_id'],
  maxAnonymousIds: 100,
  junkValues: new Set(DEFAULT_JUNK_VALUES),
};
