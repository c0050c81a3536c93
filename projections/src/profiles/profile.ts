/**
 * The unified profile of one person (design §6), as the profile projection keeps it and the
 * profile API returns it.
 */
export interface Profile {
  id: string;
  /** Every identifier of the person, as `type:value` keys (searchable). */
  identifiers: string[];
  traits: Record<string, unknown>;
  /** Per trait, the timestamp of the event that set it: the latest event wins, not the latest arrival. */
  traitTimestamps: Record<string, string>;
  /** Events by call type (`Tracked`, `PageViewed`, …) and by track event name. */
  counters: { total: number; byType: Record<string, number>; byEvent: Record<string, number> };
  sessions: { count: number; lastStartedAt?: string };
  firstSeen?: string;
  lastSeen?: string;
  geo?: Record<string, unknown>;
  device?: Record<string, unknown>;
  ecommerce: {
    orders: number;
    revenue: number;
    averageOrderValue: number;
    lastOrderAt?: string;
    refunds: number;
    refundedAmount: number;
  };
  /** Topic → decayed score as of `at` (half-life {@link INTEREST_HALF_LIFE_DAYS}). */
  interests: Record<string, { score: number; at: string }>;
  groups: string[];
  /**
   * The most recent interactions, newest last (at most {@link ACTIVITY_LIMIT}, none older than
   * {@link ACTIVITY_RETENTION_DAYS}): what segment event conditions look at.
   */
  activity: ActivityEntry[];
  /** Ids of the segments the profile is in, sorted. */
  segments: string[];
  /**
   * Per segment ever entered, the number of entries and exits recorded: the sequence number of
   * the next `SegmentEntered`/`SegmentExited` event derives from it.
   */
  segmentTransitions: Record<string, number>;
  /** Epoch ms when a time window of a segment condition next moves for this profile. */
  reevaluateAt?: number;
  /** Filled by computed-trait jobs. */
  computed: Record<string, unknown>;
  /** Profiles merged into this one. */
  mergedFrom: string[];
  /** Position of the last event reflected: a replayed event at or below it is skipped. */
  position: number;
  /** Position at which the profile was created (the oldest profile survives a merge). */
  createdAt: number;
  /** Profiles an operator split from this one: never merged back automatically. */
  splitFrom: string[];
}

/** One interaction as segment event conditions see it. */
export interface ActivityEntry {
  /** Event type: `Tracked`, `PageViewed`, … */
  type: string;
  /** Track event name, or page/screen name. */
  name?: string;
  /** Event timestamp, ISO-8601. */
  at: string;
  /** Scalar properties (and lists of scalars) of the call; strings cut at 256 characters. */
  properties: Record<string, unknown>;
}

export const ACTIVITY_LIMIT = 100;
export const ACTIVITY_RETENTION_DAYS = 400;

export const SESSION_GAP_MS = 30 * 60 * 1000;
export const INTEREST_HALF_LIFE_DAYS = 30;

export function emptyProfile(id: string, createdAt: number): Profile {
  return {
    id,
    identifiers: [],
    traits: {},
    traitTimestamps: {},
    counters: { total: 0, byType: {}, byEvent: {} },
    sessions: { count: 0 },
    ecommerce: {
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      refunds: 0,
      refundedAmount: 0,
    },
    interests: {},
    groups: [],
    activity: [],
    segments: [],
    segmentTransitions: {},
    computed: {},
    mergedFrom: [],
    position: 0,
    createdAt,
    splitFrom: [],
  };
}
