/** A decision of identity resolution: `merged` now belongs to `survivor` (design §6). */
export interface ProfilesMergedData {
  survivorId: string;
  mergedId: string;
  /** Identifiers that moved from the merged profile to the survivor. */
  identifiers: string[];
  /** Why: the identifiers of the source event that linked the two profiles. */
  reason: { kind: 'linked_identifiers'; via: string[] };
  sourceEventId: string;
  sourcePosition: number;
}

/** An operator detached an identifier (and the events of its stream) into a profile of its own. */
export interface ProfileSplitData {
  profileId: string;
  identifier: string;
  newProfileId: string;
  requestedBy?: string;
}

export const PROFILES_MERGED = 'ProfilesMerged';
export const PROFILE_SPLIT = 'ProfileSplit';
