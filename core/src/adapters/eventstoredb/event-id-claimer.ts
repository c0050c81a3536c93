import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimEntry, ClaimLog, ClaimTimings, StoredEvent } from './event-id-claims.js';

/**
 * Where an event id stands for one append: already stored, or claimed by this append. A claim
 * `takenOver` from a writer presumed dead carries that writer's claim: its event may have landed
 * (or may still land), which the appender must check against the stream.
 */
export type Claim =
  | { kind: 'stored'; stored: StoredEvent }
  | { kind: 'owned'; revision: number; takenOver?: ClaimEntry };

export type OwnedClaim = Extract<Claim, { kind: 'owned' }>;

/** Gets the claim of one event id, or learns that the event is stored. */
export class EventIdClaimer {
  constructor(
    private readonly claims: ClaimLog,
    private readonly timings: ClaimTimings,
  ) {}

  async claim(eventId: string, streamId: string): Promise<Claim> {
    const revision = await this.claims.write(eventId, { kind: 'claimed', streamId }, 'no_stream');
    if (revision !== undefined) return { kind: 'owned', revision };
    return this.#resolve(eventId, streamId);
  }

  /** Settles an id claimed by someone else: stored, or claimed by us once it is free or dead. */
  async #resolve(eventId: string, streamId: string): Promise<Claim> {
    let watched: { revision: number; since: number } | undefined;
    for (;;) {
      const entry = await this.claims.last(eventId);
      const record = entry?.record;
      if (record?.kind === 'stored') return { kind: 'stored', stored: record };
      if (entry && record?.kind === 'claimed') {
        // The expiry counts from when this record was first seen; a newer one restarts it.
        if (watched?.revision !== entry.revision) {
          watched = { revision: entry.revision, since: performance.now() };
        }
        if (!this.#dead(entry, watched.since)) {
          await sleep(this.timings.pollIntervalMs);
          continue;
        }
      }
      // Free (released), presumed dead, or gone: claim it at the revision seen; a rival taking it
      // first makes the write fail, and the loop looks again.
      const expected = entry ? entry.revision : 'no_stream';
      const revision = await this.claims.write(eventId, { kind: 'claimed', streamId }, expected);
      if (revision === undefined) continue;
      return record?.kind === 'claimed'
        ? { kind: 'owned', revision, takenOver: entry }
        : { kind: 'owned', revision };
    }
  }

  #dead(entry: ClaimEntry, watchedSince: number): boolean {
    const { claimExpiryMs, maxClockSkewMs } = this.timings;
    if (performance.now() - watchedSince >= claimExpiryMs) return true;
    // A claim whose own (server) timestamp is old enough needs no wait: a retry after a crash.
    return Date.now() - entry.recordedAt.getTime() >= claimExpiryMs + maxClockSkewMs;
  }
}
