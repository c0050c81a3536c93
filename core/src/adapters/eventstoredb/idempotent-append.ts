import { UspaError, WrongExpectedRevisionError } from '../../errors/index.js';
import type { AppendResult, ExpectedRevision } from '../../ports/event-store.port.js';
import { EventIdClaimer, type Claim, type OwnedClaim } from './event-id-claimer.js';
import type {
  ClaimLog,
  ClaimRecord,
  ClaimTimings,
  ExactRevision,
  PreparedEvent,
  StoredEvent,
  TargetStreams,
} from './event-id-claims.js';
import { appendFenced, needsHead } from './fenced-append.js';
import { InFlightIds } from './in-flight-ids.js';

type Owned = { claim: OwnedClaim; event: PreparedEvent };

/**
 * Stores each event id once, although EventStoreDB only deduplicates on a best-effort basis (an
 * exact retry at the same expected version, or ids still in its in-memory cache).
 *
 * Every event id gets a claim stream. An append first claims all its ids at once (concurrent
 * writes, expected `no_stream`), appends only the events it claimed, then records where each one
 * landed. A writer that finds an id already claimed waits for that record; when the claim stays
 * unchanged past `claimExpiryMs` it presumes the owner dead, looks for the event in the claimed
 * stream, and either records it or takes the claim over. The append itself is fenced by exact
 * revisions ({@link appendFenced}), so even a takeover of a claim whose owner was only slow
 * cannot store an event twice.
 *
 * When every event of an append is already stored, the append is a no-op that answers the
 * original result without checking the expected revision, as the embedded store does. Within a
 * process, appends sharing an id take turns ({@link InFlightIds}), so a concurrent retry finds
 * the result instead of waiting for an expiry.
 */
export class IdempotentAppender {
  readonly #inFlight = new InFlightIds();
  readonly #claimer: EventIdClaimer;

  constructor(
    private readonly claims: ClaimLog,
    private readonly streams: TargetStreams,
    private readonly timings: ClaimTimings,
  ) {
    this.#claimer = new EventIdClaimer(claims, timings);
  }

  async append(
    streamId: string,
    events: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const unique = [...new Map(events.map((event) => [event.id, event])).values()];
    const release = await this.#inFlight.acquire(unique.map((event) => event.id));
    try {
      return await this.#appendOnce(streamId, unique, expected);
    } finally {
      release();
    }
  }

  async #appendOnce(streamId: string, events: PreparedEvent[], expected: ExpectedRevision) {
    // The head read of an `any` append travels alongside the claims instead of after them.
    let head: Promise<ExactRevision> | undefined;
    if (needsHead(expected)) {
      head = this.streams.head(streamId);
      head.catch(() => undefined);
    }
    const claims = await this.#claimAll(streamId, events);
    const mine = claims.flatMap((claim, n) =>
      claim.kind === 'owned' ? [{ claim, event: events[n]! }] : [],
    );
    if (mine.length === 0) return this.#originalResult(events, claims, new Map());

    const found = new Map<string, StoredEvent>();
    let outcome: Awaited<ReturnType<typeof appendFenced>>;
    try {
      const searchedAt = await this.#searchTakenOver(streamId, mine, found);
      if (searchedAt !== undefined) head = Promise.resolve(searchedAt);
      const fresh = mine.flatMap(({ event }) => (found.has(event.id) ? [] : [event]));
      // An exact expectation the stream missed at that read could otherwise be met later by the
      // late write of the very event this append would add a second time.
      const exact = !needsHead(expected);
      if (searchedAt !== undefined && fresh.length > 0 && exact && expected !== searchedAt) {
        throw new WrongExpectedRevisionError(streamId, expected, searchedAt);
      }
      const { appendTimeoutMs } = this.timings;
      outcome =
        fresh.length === 0
          ? { written: [] }
          : await appendFenced(
              this.streams,
              streamId,
              fresh,
              expected,
              head,
              appendTimeoutMs,
              found,
            );
    } catch (error) {
      // Refused for certain (4xx): nothing of ours was written, so our own claims are freed for
      // the next try. Not a claim taken over: its first writer may still be appending. Otherwise
      // (unknown outcome) the append may still land, and the claims must keep others away.
      const refused = error instanceof UspaError && error.status < 500;
      await this.#record(mine, (event, claim) => {
        const stored = found.get(event.id);
        if (stored || !refused || claim.takenOver) return stored;
        return { kind: 'released', streamId };
      });
      throw error;
    }
    const { result, written } = outcome;
    if (!result) {
      await this.#record(mine, (event) => found.get(event.id));
      return this.#originalResult(events, claims, found);
    }
    const first = result.nextExpectedRevision - written.length + 1;
    const last = written[written.length - 1];
    const revisions = new Map(written.map((event, n) => [event.id, first + n]));
    await this.#record(mine, (event) => {
      const revision = revisions.get(event.id);
      if (revision === undefined) return found.get(event.id);
      const position = event === last ? result.position : null;
      return { kind: 'stored', streamId, revision, position };
    });
    return result;
  }

  /**
   * An id taken over from a writer presumed dead may be in the stream already, or land there
   * late. The head is read first and the stream searched after: an event that landed before the
   * head read is found, one that lands after it moves the head and the fenced append is refused.
   * The head so read is the one to append at.
   */
  async #searchTakenOver(
    streamId: string,
    mine: readonly Owned[],
    found: Map<string, StoredEvent>,
  ): Promise<ExactRevision | undefined> {
    const suspects = mine.filter(({ claim }) => claim.takenOver);
    if (suspects.length === 0) return undefined;
    const current = await this.streams.head(streamId);
    await Promise.all(
      suspects.map(async ({ claim, event }) => {
        // Back to the first claim: a writer before the one presumed dead may have vanished too.
        const since = (await this.claims.first(event.id)) ?? claim.takenOver!;
        const stored = await this.streams.find(since.record.streamId, event.id, since);
        if (stored) found.set(event.id, stored);
      }),
    );
    return current;
  }

  /**
   * Claims every id at once. If one claim fails, nothing has been appended yet: the ids this
   * append did get are released at once rather than left to expire.
   */
  async #claimAll(streamId: string, events: readonly PreparedEvent[]): Promise<Claim[]> {
    const settled = await Promise.allSettled(
      events.map((event) => this.#claimer.claim(event.id, streamId)),
    );
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    const got = settled.flatMap((outcome, n) =>
      outcome.status === 'fulfilled' ? [{ value: outcome.value, event: events[n]! }] : [],
    );
    if (!failure) return got.map(({ value }) => value);
    const owned = got.flatMap(({ value, event }) =>
      value.kind === 'owned' ? [{ claim: value, event }] : [],
    );
    await this.#record(owned, (_, claim) =>
      claim.takenOver ? undefined : { kind: 'released', streamId },
    );
    throw failure.reason;
  }

  /** Like the embedded store: the result of the request's last event, as it was first stored. */
  async #originalResult(
    events: readonly PreparedEvent[],
    claims: readonly Claim[],
    found: ReadonlyMap<string, StoredEvent>,
  ): Promise<AppendResult> {
    const n = events.length - 1;
    const claim = claims[n];
    const stored = claim?.kind === 'stored' ? claim.stored : found.get(events[n]?.id ?? '');
    if (!stored) throw new Error('unreachable: the last event is neither stored nor appended');
    const position =
      stored.position ?? (await this.streams.positionOf(stored.streamId, stored.revision));
    return { nextExpectedRevision: stored.revision, position };
  }

  /**
   * Writes a record on the claims of this append (none where `record` gives none). Result and
   * release records only save later writers time (a missing one costs a wait and a look into
   * the stream), so their failure must not fail an append that is already decided.
   */
  async #record(
    mine: readonly Owned[],
    record: (event: PreparedEvent, claim: OwnedClaim) => ClaimRecord | undefined,
  ): Promise<void> {
    await Promise.all(
      mine.map(async ({ claim, event }) => {
        const next = record(event, claim);
        if (next) await this.claims.write(event.id, next, claim.revision).catch(() => undefined);
      }),
    );
  }
}
