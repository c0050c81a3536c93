import { streamOf, type EventToAppend, type RecordedEvent } from '@uspa/sdk';
import type { Identifier } from '../identity/identifiers.js';
import type { IdentityGraph } from '../identity/identity-resolver.js';
import { PROFILES_MERGED, type ProfilesMergedData } from '../identity/identity-events.js';
import { derivedId } from '../runtime/derived-id.js';
import type { ProjectionContext, SettleResult } from '../runtime/projection.js';
import type { SegmentCatalog } from '../segments/segment-catalog.js';
import type { TransitionReason } from '../segments/segment-events.js';
import { evaluateMemberships } from '../segments/segment-membership.js';
import { mergeProfiles } from './profile-merge.js';
import { profileKeys, PROFILES_COLLECTION } from './profile-keys.js';
import { profileJson } from './profile-json.js';
import { searchDocument } from './profile-search-document.js';
import { emptyProfile, type Profile } from './profile.js';

const MAX_CACHED_PROFILES = 200_000;
/**
 * Changed profiles a commit window may hold back before the batch asks to end it: the cache
 * cannot start again while writes are held, so this bounds what it may grow past its limit.
 */
export const MAX_HELD_PROFILES = 100_000;
/** Runner memory: profile ids still waiting for their search documents. */
const PENDING_INDEX_MEMORY = 'pending-index';
/**
 * Profile ids waiting for their search documents → `mark`: {@link EVALUATED} or '' (not yet),
 * and `since`: when the first change still unindexed was queued (ms, `performance.now()`; 0
 * when read back from storage). Oldest first: a profile changed again keeps its place.
 */
type PendingIndex = Map<string, { mark: string; since: number }>;
const EVALUATED = 'evaluated';
/**
 * Live, a changed profile's search document waits a little for the next changes of the same
 * profile, so a visitor's burst of events is indexed once: 1 ms per profile waiting, at most
 * 5 s. A quiet server indexes almost at once; under load, search lags by seconds and the
 * indexing work shrinks with each visitor's events. Segments and realtime never wait for it.
 */
const WAIT_PER_PENDING_MS = 1;
const MAX_INDEX_WAIT_MS = 5_000;
/**
 * Live profiles indexed per settling step. Each step holds the event loop (its search documents
 * are built here, ~0.1 ms each) and a live batch waits behind it: at 5,000 events/s, realtime
 * pushes took p99 ~39 ms with 10 against ~52 with 20 (medians of interleaved runs), indexing as
 * many profiles, with search behind by 5.6 s at most against 5.3 s.
 */
const LIVE_INDEX_CHUNK = 10;
/** Runner memory: the changes a window's batches hold back until the batch that commits. */
const HELD_WRITES_MEMORY = 'held-writes';
interface HeldWrites {
  profiles: Set<string>;
  owners: Set<string>;
  mergedInto: Map<string, string>;
}
/** Runner memory: profile changes to announce after their batch commits (live ones before too). */
const PROFILE_CHANGES_MEMORY = 'profile-changes';
/** Runner memory: how many of those were announced as decided already. */
const DECIDED_COUNT_MEMORY = 'profile-changes-decided';

export interface ProfileBatchOptions {
  /** Changed profiles a commit window holds back at most (default {@link MAX_HELD_PROFILES}). */
  maxHeldProfiles?: number;
}

/** Segment evaluation as a batch uses it: the definitions in force and the clock. */
export interface SegmentEvaluation {
  catalog: SegmentCatalog;
  now(): number;
  /**
   * Hears a live batch's changes as soon as they are decided, before its decisions are appended
   * and its writes committed (see {@link ProfileBatch.flush}).
   */
  decided?: (changes: readonly ProfileChange[]) => void;
}

/**
 * The changes a commit announces, and forgets them.
 *
 * @example
 * afterCommit(memory) { const changes = takeProfileChanges(memory); if (changes) notify(changes); }
 */
export function takeProfileChanges(memory: Map<string, unknown>): ProfileChange[] | undefined {
  const changes = memory.get(PROFILE_CHANGES_MEMORY) as ProfileChange[] | undefined;
  memory.delete(PROFILE_CHANGES_MEMORY);
  memory.delete(DECIDED_COUNT_MEMORY);
  return changes;
}

/** A profile whose memberships or identifiers changed, for realtime delivery. */
export interface ProfileChange {
  profileId: string;
  identifiers: string[];
  segments: string[];
  mergedFrom: string[];
}

/**
 * The identity graph and the profiles a batch touches, loaded once up front and written once at
 * the end: a batch of thousands of events costs a few round trips, not thousands.
 */
export class ProfileBatch implements IdentityGraph<Profile> {
  /** Identifier → profile id, and profiles: kept in the runner's memory from batch to batch. */
  readonly #owners: Map<string, string | undefined>;
  readonly #profiles: Map<string, Profile | undefined>;
  readonly #dirtyProfiles: Set<string>;
  readonly #dirtyOwners: Set<string>;
  readonly #mergedInto: Map<string, string>;
  readonly #decisions = new Map<string, EventToAppend[]>();
  readonly #identityChanged = new Set<string>();
  #event: RecordedEvent | undefined;
  #created = 0;

  constructor(
    private readonly context: ProjectionContext,
    private readonly segments?: SegmentEvaluation,
    private readonly options: ProfileBatchOptions = {},
  ) {
    const { memory } = context;
    // Changes earlier batches of a commit window held back (see `flush`), still to be written.
    const held = memory.get(HELD_WRITES_MEMORY) as HeldWrites | undefined;
    this.#dirtyProfiles = held?.profiles ?? new Set<string>();
    this.#dirtyOwners = held?.owners ?? new Set<string>();
    this.#mergedInto = held?.mergedInto ?? new Map<string, string>();
    let owners = memory.get('owners') as Map<string, string | undefined> | undefined;
    let profiles = memory.get('profiles') as Map<string, Profile | undefined> | undefined;
    // Bounded: past the limit the caches start again from storage (everything is committed,
    // unless writes are held back: those profiles exist only here until their commit).
    if (!owners || !profiles || (profiles.size > MAX_CACHED_PROFILES && held === undefined)) {
      owners = new Map();
      profiles = new Map();
      memory.set('owners', owners);
      memory.set('profiles', profiles);
    }
    this.#owners = owners;
    this.#profiles = profiles;
  }

  /** Loads the owners of `identifiers` and their profiles that are not loaded yet. */
  async load(identifiers: Iterable<string>): Promise<void> {
    const keys = [...new Set(identifiers)].filter((key) => !this.#owners.has(key));
    if (keys.length > 0) {
      const owners = await this.context.keyValues.getMany(keys.map(profileKeys.owner));
      keys.forEach((key, i) => this.#owners.set(key, owners[i]));
    }
    await this.loadProfiles(keys.map((key) => this.#owners.get(key)));
  }

  async loadProfiles(ids: Iterable<string | undefined>): Promise<void> {
    const missing = [...new Set(ids)].filter(
      (id): id is string => id !== undefined && !this.#profiles.has(id),
    );
    if (missing.length === 0) return;
    const documents = await this.context.keyValues.getMany(missing.map(profileKeys.profile));
    missing.forEach((id, i) => {
      const json = documents[i];
      this.#profiles.set(id, json === undefined ? undefined : (JSON.parse(json) as Profile));
    });
  }

  /** The event being handled: new profiles and merge decisions derive their ids from it. */
  handling(event: RecordedEvent): void {
    this.#event = event;
    this.#created = 0;
  }

  profile(id: string): Profile | undefined {
    return this.#profiles.get(id);
  }

  owner(key: string): Profile | undefined {
    const id = this.#owners.get(key);
    return id === undefined ? undefined : this.#profiles.get(id);
  }

  create(createdAt: number): Profile {
    const event = this.#current();
    const id = derivedId('Profile', event.id, String(this.#created++));
    this.#identityChanged.add(id);
    return this.add(emptyProfile(id, createdAt));
  }

  add(profile: Profile): Profile {
    this.#profiles.set(profile.id, profile);
    this.touch(profile);
    return profile;
  }

  attach(profile: Profile, identifier: Identifier): void {
    profile.identifiers.push(identifier.key);
    this.#identityChanged.add(profile.id);
    this.setOwner(identifier.key, profile.id);
    this.touch(profile);
  }

  setOwner(key: string, profileId: string): void {
    this.#owners.set(key, profileId);
    this.#dirtyOwners.add(key);
  }

  detach(profile: Profile, key: string): void {
    profile.identifiers = profile.identifiers.filter((identifier) => identifier !== key);
    this.touch(profile);
  }

  merge(survivor: Profile, merged: Profile, via: string[]): void {
    const event = this.#current();
    mergeProfiles(survivor, merged);
    this.#identityChanged.add(survivor.id);
    for (const key of merged.identifiers) this.setOwner(key, survivor.id);
    this.#profiles.set(merged.id, undefined);
    // Every profile ever merged into `merged` now points straight at the survivor: lookups take
    // one hop, and the pointers do not depend on how the log was cut into batches.
    for (const id of [merged.id, ...merged.mergedFrom]) this.#mergedInto.set(id, survivor.id);
    this.touch(survivor);
    const data: ProfilesMergedData = {
      survivorId: survivor.id,
      mergedId: merged.id,
      identifiers: merged.identifiers,
      reason: { kind: 'linked_identifiers', via },
      sourceEventId: event.id,
      sourcePosition: event.position,
    };
    this.decide(streamOf.profile(survivor.id), [
      { id: derivedId(PROFILES_MERGED, event.id, merged.id), type: PROFILES_MERGED, data },
    ]);
  }

  /** Events to append to `stream` before the batch's writes are stored. */
  decide(stream: string, events: readonly EventToAppend[]): void {
    if (events.length === 0) return;
    const decisions = this.#decisions.get(stream) ?? [];
    decisions.push(...events);
    this.#decisions.set(stream, decisions);
  }

  /**
   * Re-evaluates the profile's segments now; true when a membership changed. With `announce`,
   * a change is queued for realtime delivery after the commit.
   */
  evaluateSegments(profile: Profile, reason: TransitionReason, announce = false): boolean {
    if (!this.segments || (this.segments.catalog.size === 0 && profile.segments.length === 0)) {
      return false;
    }
    const before = profile.reevaluateAt;
    // Only what the segments read: the whole view waits for the search document.
    const now = this.segments.now();
    const events = evaluateMemberships(profile, this.segments.catalog, now, reason);
    this.decide(streamOf.profile(profile.id), events);
    if (events.length > 0 || before !== profile.reevaluateAt) this.touch(profile);
    if (announce && events.length > 0) this.#announce(profile);
    return events.length > 0;
  }

  #announce(profile: Profile): void {
    const { memory } = this.context;
    const announced = (memory.get(PROFILE_CHANGES_MEMORY) as ProfileChange[] | undefined) ?? [];
    announced.push({
      profileId: profile.id,
      identifiers: [...profile.identifiers],
      segments: [...profile.segments],
      mergedFrom: [...profile.mergedFrom],
    });
    memory.set(PROFILE_CHANGES_MEMORY, announced);
  }

  /**
   * Appends the decisions of every stream at once: the store commits appends that wait together
   * in one transaction, where one stream after another took a round trip to its writer each (a
   * live batch under load decides for some twenty profiles; awaiting them in turn was most of
   * its time). Each stream's events stay in order; streams need none between them, and their
   * derived ids make a retry after a partial failure write nothing twice.
   */
  async #appendDecisions(): Promise<void> {
    const decisions = [...this.#decisions];
    this.#decisions.clear();
    await Promise.all(decisions.map(([stream, events]) => this.context.append(stream, events)));
  }

  /** Marks the profile changed: it is written with the batch. */
  touch(profile: Profile): void {
    this.#dirtyProfiles.add(profile.id);
  }

  /**
   * Live, tells {@link SegmentEvaluation.decided} of the changes just evaluated, then appends the
   * merge and membership decisions and buffers every changed profile and identifier.
   *
   * A visitor's page hears of its change before the log sync of the decisions and the read
   * model's commit, which were most of the wait under load (at 5,000 events/s, the decisions'
   * append alone took 10-27 ms at the median). That is safe: the decisions follow from events
   * already in the log, the checkpoint moves only after they are appended, and a batch handled
   * again after a crash decides the same with the same event ids. The changes are announced
   * again after the commit, for those who must read the read model (other processes).
   *
   * Search documents are not written here: the profiles to index are noted and indexed by
   * {@link indexPending} in the settling step that follows. Live, that keeps search indexing out
   * of the way of the commit that announces a visitor's new segments; while catching up, a
   * profile touched in a hundred batches of a rebuild is indexed once, not a hundred times.
   */
  async flush(): Promise<void> {
    if (!this.context.catchingUp) {
      this.#evaluateChanged();
      if (!this.context.deferWrites) this.#tellDecided();
    }
    await this.#appendDecisions();
    const { keyValues, documents, memory } = this.context;
    if (this.context.deferWrites) {
      // A window of a catch-up commits later: a profile changed in ten of its batches is
      // serialised and written once, by the batch that commits.
      memory.set(HELD_WRITES_MEMORY, {
        profiles: this.#dirtyProfiles,
        owners: this.#dirtyOwners,
        mergedInto: this.#mergedInto,
      } satisfies HeldWrites);
      if (this.#dirtyProfiles.size >= (this.options.maxHeldProfiles ?? MAX_HELD_PROFILES)) {
        this.context.endWindow();
      }
      return;
    }
    memory.delete(HELD_WRITES_MEMORY);
    for (const key of this.#dirtyOwners) {
      const owner = this.#owners.get(key);
      if (owner !== undefined)
        keyValues.write({ op: 'set', key: profileKeys.owner(key), value: owner });
    }
    for (const [merged, survivor] of this.#mergedInto) {
      keyValues.write(
        { op: 'delete', key: profileKeys.profile(merged) },
        { op: 'set', key: profileKeys.mergedInto(merged), value: survivor },
      );
      documents.remove(PROFILES_COLLECTION, merged);
    }
    // Queued for indexing, marked with whether their memberships were just evaluated (live) or
    // still wait for it (catching up): indexing then evaluates only what is not evaluated yet.
    const mark = this.context.catchingUp ? '' : EVALUATED;
    const toIndex: Record<string, string> = {};
    for (const id of this.#dirtyProfiles) {
      const profile = this.#profiles.get(id);
      if (!profile) continue;
      keyValues.write({ op: 'set', key: profileKeys.profile(id), value: profileJson(profile) });
      toIndex[id] = mark;
    }
    if (Object.keys(toIndex).length === 0) return;
    keyValues.write({ op: 'hashSet', key: profileKeys.pendingIndex, fields: toIndex });
    const remembered = this.context.memory.get(PENDING_INDEX_MEMORY) as PendingIndex | undefined;
    // Live batches add to the remembered queue; a catch-up's long queue is read back at the end.
    if (this.context.catchingUp || remembered === undefined) {
      this.context.memory.delete(PENDING_INDEX_MEMORY);
    } else {
      const now = performance.now();
      for (const [id, mark] of Object.entries(toIndex)) {
        const entry = remembered.get(id);
        if (entry === undefined) remembered.set(id, { mark, since: now });
        else entry.mark = mark;
      }
    }
  }

  /**
   * Live: every changed profile's memberships are evaluated at once, and changes a visitor's
   * page may show are queued for announcement (told as decided at once, announced again after
   * the commit). While catching up, evaluation waits for the profile's indexing
   * ({@link indexPending}), when the whole history is in.
   */
  #evaluateChanged(): void {
    for (const id of [...this.#dirtyProfiles]) {
      const profile = this.#profiles.get(id);
      if (!profile) continue;
      const changed = this.evaluateSegments(profile, 'profile_changed', true);
      if (!changed && this.#identityChanged.has(id)) this.#announce(profile);
    }
  }

  #tellDecided(): void {
    const { memory } = this.context;
    const changes = memory.get(PROFILE_CHANGES_MEMORY) as ProfileChange[] | undefined;
    const told = (memory.get(DECIDED_COUNT_MEMORY) as number | undefined) ?? 0;
    if (!this.segments?.decided || !changes || changes.length <= told) return;
    memory.set(DECIDED_COUNT_MEMORY, changes.length);
    this.segments.decided(changes.slice(told));
  }

  /** Writes the buffered profile changes without the search indexing decisions of {@link flush}. */
  async flushEvaluated(): Promise<void> {
    await this.#appendDecisions();
    for (const id of this.#dirtyProfiles) {
      const profile = this.#profiles.get(id);
      if (!profile) continue;
      this.context.keyValues.write({
        op: 'set',
        key: profileKeys.profile(id),
        value: profileJson(profile),
      });
      this.context.documents.put(PROFILES_COLLECTION, id, searchDocument(profile));
    }
    this.#dirtyProfiles.clear();
  }

  /**
   * Writes the search documents of up to `limit` profiles whose turn has come: all of those a
   * catch-up noted, and live ones once they have waited (see {@link MAX_INDEX_WAIT_MS}), at most
   * {@link LIVE_INDEX_CHUNK} of them per step. Answers true when more are due now, `{ after }`
   * when the rest are not due yet, false when none are left.
   */
  async indexPending(limit: number): Promise<SettleResult> {
    const { keyValues, documents, memory } = this.context;
    // The queue is read from storage once and then kept in memory, so settling after every live
    // batch costs no read, and a long queue is not read again for each chunk.
    let pending = memory.get(PENDING_INDEX_MEMORY) as PendingIndex | undefined;
    if (pending === undefined) {
      const stored = await keyValues.hashGetAll(profileKeys.pendingIndex);
      pending = new Map(Object.entries(stored).map(([id, mark]) => [id, { mark, since: 0 }]));
      memory.set(PENDING_INDEX_MEMORY, pending);
    }
    const now = performance.now();
    const wait = Math.min(MAX_INDEX_WAIT_MS, pending.size * WAIT_PER_PENDING_MS);
    const chunk: [string, string][] = [];
    let live = 0;
    let notDue: number | undefined;
    for (const [id, { mark, since }] of pending) {
      if (chunk.length >= limit || live >= LIVE_INDEX_CHUNK) break;
      if (since > 0) {
        if (since + wait > now) {
          notDue = since + wait - now;
          break;
        }
        live++;
      }
      chunk.push([id, mark]);
    }
    if (chunk.length === 0) return notDue === undefined ? false : { after: Math.ceil(notDue) };
    for (const [id] of chunk) pending.delete(id);
    await this.loadProfiles(chunk.map(([id]) => id));
    for (const [id, mark] of chunk) {
      const profile = this.#profiles.get(id);
      if (!profile) continue;
      // Announced too: a serving projection that fell behind under load catches up this way,
      // and its visitors must still see their changes. Memberships a rebuild restores from the
      // log are no change, so a rebuild announces next to nothing.
      if (mark !== EVALUATED) this.evaluateSegments(profile, 'profile_changed', true);
      documents.put(PROFILES_COLLECTION, id, searchDocument(profile));
    }
    await this.flushEvaluated();
    keyValues.write({
      op: 'hashDelete',
      key: profileKeys.pendingIndex,
      fields: chunk.map(([id]) => id),
    });
    if (notDue !== undefined) return { after: Math.ceil(notDue) };
    return pending.size > 0;
  }

  #current(): RecordedEvent {
    if (!this.#event) throw new Error('no event being handled');
    return this.#event;
  }
}
