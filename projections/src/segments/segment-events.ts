import type { Condition } from './condition/condition.js';

/**
 * Segment configuration and membership events (design §4, §8). Definitions live in
 * `segment-{id}` streams; entering and leaving are decisions of the profile projection, recorded
 * in the profile's `profile-{id}` stream with deterministic ids.
 */
export const SEGMENT_DEFINED = 'SegmentDefined';
export const SEGMENT_DELETED = 'SegmentDeleted';
export const SEGMENT_ENTERED = 'SegmentEntered';
export const SEGMENT_EXITED = 'SegmentExited';

/** A segment as defined (and redefined: each definition carries the whole segment). */
export interface SegmentDefinition {
  id: string;
  name: string;
  description?: string;
  condition: Condition;
  /** 1 for a new segment, +1 on every redefinition. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentDeletedData {
  id: string;
  deletedAt: string;
}

/** Why a membership changed: a profile change, a moved time window, or a (re)definition. */
export type TransitionReason = 'profile_changed' | 'window_moved' | 'segment_defined';

/** Data of `SegmentEntered` and `SegmentExited`. */
export interface SegmentTransitionData {
  profileId: string;
  segmentId: string;
  /** The n-th entry or exit of this profile for this segment (its id derives from it). */
  sequence: number;
  segmentVersion: number;
  reason: TransitionReason;
  /** When the membership changed (the evaluation's clock). */
  at: string;
}

export const SEGMENT_EVENT_TYPES = [
  SEGMENT_DEFINED,
  SEGMENT_DELETED,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
] as const;
