import { ConfigError } from '../../errors/index.js';
import type { AppendResult } from '../../ports/event-store.port.js';
import type { SerialisedEvent } from '../shared/serialised-event.js';

/**
 * What the claim stream of one event id says, read from its last record:
 * - `claimed`: a writer holds the id and may be appending it to `streamId`;
 * - `stored`: the event is in `streamId` at `revision` (`position` is only known for the last
 *   event of an append; the others are looked up when needed);
 * - `released`: the writer gave up without writing (its append was refused); anyone may claim.
 */
export type ClaimRecord =
  | { kind: 'claimed'; streamId: string }
  | { kind: 'stored'; streamId: string; revision: number; position: number | null }
  | { kind: 'released'; streamId: string };

export interface ClaimEntry {
  /** Revision of the record in its claim stream: the expectation of the next record. */
  revision: number;
  record: ClaimRecord;
  /** `$all` position of the record; -1 when the server does not tell (before 22.6). */
  position: number;
  recordedAt: Date;
}

/** The claim streams, one per event id, written with optimistic concurrency. */
export interface ClaimLog {
  /** Appends if the claim stream is at `expected`; the new revision, or undefined if it is not. */
  write(
    eventId: string,
    record: ClaimRecord,
    expected: number | 'no_stream',
  ): Promise<number | undefined>;
  last(eventId: string): Promise<ClaimEntry | undefined>;
  /** The first record: where the search for an event whose writer vanished must reach back to. */
  first(eventId: string): Promise<ClaimEntry | undefined>;
}

export type StoredEvent = Extract<ClaimRecord, { kind: 'stored' }>;

/** A validated event, with the caller's data value for the client to serialise. */
export interface PreparedEvent extends SerialisedEvent {
  value: unknown;
}

/** A revision a stream must be at exactly: its last event's, or `no_stream` for none. */
export type ExactRevision = number | 'no_stream';

/** The user streams, as the guard needs them. */
export interface TargetStreams {
  /** The revision of the stream's last event; rejects with StreamTombstonedError. */
  head(streamId: string): Promise<ExactRevision>;
  /** Appends only if the stream is exactly at `at` (WrongExpectedRevisionError otherwise). */
  append(
    streamId: string,
    events: readonly PreparedEvent[],
    at: ExactRevision,
    deadlineMs: number,
  ): Promise<AppendResult>;
  /** The ids of the events at revisions `from` to `to`, both included. */
  range(streamId: string, from: number, to: number): Promise<{ id: string; stored: StoredEvent }[]>;
  /** Finds `eventId` among the events of `streamId` written after the claim record `since`. */
  find(streamId: string, eventId: string, since: ClaimEntry): Promise<StoredEvent | undefined>;
  positionOf(streamId: string, revision: number): Promise<number>;
}

/**
 * How long writers wait for each other. These bound waiting only, never correctness: appends
 * are fenced by exact revisions (see `fenced-append.ts`), so a takeover that comes too early
 * costs a refused append, not a duplicate.
 * - `appendTimeoutMs`: deadline of one append on the wire;
 * - `claimExpiryMs`: a claim seen unchanged (no result) for this long is presumed abandoned;
 * - `pollIntervalMs`: how often a waiting writer looks at such a claim again;
 * - `maxClockSkewMs`: bound on the difference between this host's clock and the server's, for
 *   claims whose own timestamp proves them abandoned (then no wait at all).
 */
export interface ClaimTimings {
  appendTimeoutMs: number;
  claimExpiryMs: number;
  pollIntervalMs: number;
  maxClockSkewMs: number;
}

export const DEFAULT_CLAIM_TIMINGS: Readonly<ClaimTimings> = Object.freeze({
  appendTimeoutMs: 10_000,
  claimExpiryMs: 15_000,
  pollIntervalMs: 100,
  maxClockSkewMs: 60_000,
});

export function claimTimings(overrides: Partial<ClaimTimings> = {}): ClaimTimings {
  const timings = { ...DEFAULT_CLAIM_TIMINGS, ...overrides };
  for (const [name, value] of Object.entries(timings)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigError(`EventStoreDB claim timing ${name} must be a positive integer`);
    }
  }
  // Not a safety bound, but waiting less than a healthy append may take only causes
  // takeovers that the fence then refuses.
  if (timings.claimExpiryMs <= timings.appendTimeoutMs) {
    throw new ConfigError('EventStoreDB claimExpiryMs must exceed appendTimeoutMs');
  }
  return timings;
}
