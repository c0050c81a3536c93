import { identifierKey, makeIdentifier } from '../identity/identifiers.js';
import { identifiersOf, INTERACTION_EVENT_TYPES } from '../identity/event-identifiers.js';
import { PROFILE_SPLIT } from '../identity/identity-events.js';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../identity/identity-policy.js';
import { resolveProfile } from '../identity/identity-resolver.js';
import { defineProjection, type Projection } from '../runtime/projection.js';
import { SegmentCatalog } from '../segments/segment-catalog.js';
import {
  SEGMENT_DEFINED,
  SEGMENT_DELETED,
  SEGMENT_ENTERED,
  SEGMENT_EVENT_TYPES,
  SEGMENT_EXITED,
} from '../segments/segment-events.js';
import { ProfileBatch, takeProfileChanges, type ProfileChange } from './profile-batch.js';
import { applyInteraction } from './profile-evolve.js';
import { PROFILES_COLLECTION } from './profile-keys.js';
import { PROFILE_MAPPING } from './profile-search-document.js';
import { continueBackfill, requestBackfill, sweepMovedWindows } from './profile-segment-sweeps.js';
import { applySplit } from './profile-split.js';
import { foldTransition } from './profile-transitions.js';

export const PROFILES_PROJECTION = 'profiles';
/**
 * Search documents written per settling step after a catch-up or a rebuild: each step holds the
 * event loop (about 1 s for 2,000 on a slow machine, 0.25 s for 250), and a rebuild may run beside
 * a live server. Smaller steps did not make settling slower.
 */
const INDEX_CHUNK = 250;
const CATALOG_MEMORY = 'segment-catalog';

export interface ProfilesProjectionOptions {
  identity?: IdentityPolicy;
  /** The clock segment time windows are evaluated with (tests move it). */
  now?: () => number;
  /** How often moved time windows are looked for, in ms (default 60 000). */
  reevaluateIntervalMs?: number;
  /** Called after each commit with the profiles whose memberships or identifiers changed. */
  onProfilesChanged?: (changes: readonly ProfileChange[]) => void;
  /**
   * Called during a live batch with its changes as soon as they are decided, before the decisions
   * are appended and the batch committed; `onProfilesChanged` gets the same changes after the
   * commit. For delivery to visitors of this process that cannot wait for the commit.
   */
  onProfilesDecided?: (changes: readonly ProfileChange[]) => void;
  /** Changed profiles a rebuild's commit window holds back at most (default `MAX_HELD_PROFILES`). */
  maxHeldProfiles?: number;
}

/** The event types the profile projection reads. */
export const PROFILES_HANDLES: readonly string[] = [
  ...INTERACTION_EVENT_TYPES,
  PROFILE_SPLIT,
  ...SEGMENT_EVENT_TYPES,
];

/**
 * Identity resolution, the profile read model and segment membership, in one pass over the
 * log: each interaction is first resolved to its profile (merging profiles it links, recording
 * each merge as a `ProfilesMerged` event), then folded into that profile, whose segments are
 * then evaluated (recording `SegmentEntered`/`SegmentExited`). Doing all three in one batch
 * means no step waits for, or races ahead of, another; a rebuild replays them together.
 */
export function profilesProjection(options: ProfilesProjectionOptions = {}): Projection {
  const policy = options.identity ?? DEFAULT_IDENTITY_POLICY;
  const now = options.now ?? Date.now;
  const interval = options.reevaluateIntervalMs ?? 60_000;
  return defineProjection({
    name: PROFILES_PROJECTION,
    version: 2,
    // Reads back only plain key-values and documents, and writes held-back changes on an empty
    // batch: a rebuild's consecutive batches may share a commit.
    windowed: true,
    handles: PROFILES_HANDLES,
    collections: { [PROFILES_COLLECTION]: PROFILE_MAPPING },
    async handle(events, context) {
      const catalog = await catalogOf(context);
      const batch = new ProfileBatch(
        context,
        { catalog, now, decided: options.onProfilesDecided },
        { maxHeldProfiles: options.maxHeldProfiles },
      );
      const resolved = events.map((event) => ({
        event,
        ...identifiersOf(event, policy.junkValues),
      }));
      await batch.load(
        resolved.flatMap(({ identifiers, previousId }) => [
          ...identifiers.map((identifier) => identifier.key),
          ...(previousId === undefined ? [] : aliasCandidates(previousId)),
        ]),
      );
      const redefined = new Map<string, number>();
      for (const { event, identifiers, previousId } of resolved) {
        batch.handling(event);
        if (event.type === SEGMENT_DEFINED || event.type === SEGMENT_DELETED) {
          const id = catalog.apply(event, context.keyValues);
          if (id !== undefined) redefined.set(id, catalog.get(id)?.definition.version ?? 0);
          continue;
        }
        if (event.type === SEGMENT_ENTERED || event.type === SEGMENT_EXITED) {
          await foldTransition(event, batch);
          continue;
        }
        if (event.type === PROFILE_SPLIT) {
          await applySplit(event, batch, context);
          continue;
        }
        if (previousId !== undefined) {
          const previous = previousIdentifier(previousId, batch, policy);
          if (previous) identifiers.push(previous);
        }
        const profile = resolveProfile(identifiers, event.position, batch, policy);
        if (!profile) continue;
        if (event.position <= profile.position && !context.redelivery) continue; // replayed
        applyInteraction(profile, event);
        batch.touch(profile);
      }
      if (redefined.size > 0) await requestBackfill(context, redefined, now());
      await batch.flush();
    },
    async settle(context) {
      const catalog = await catalogOf(context);
      const batch = new ProfileBatch(context, { catalog, now });
      const indexing = await batch.indexPending(INDEX_CHUNK);
      if (indexing === true) return true;
      if (await continueBackfill(batch, context)) return true;
      if (await sweepMovedWindows(batch, context, now(), interval)) return true;
      return indexing;
    },
    afterCommit(memory) {
      const changes = takeProfileChanges(memory);
      if (changes) options.onProfilesChanged?.(changes);
    },
  });
}

/** The segment catalog, loaded from storage once per runner and kept in its memory. */
async function catalogOf(context: Parameters<Projection['handle']>[1]) {
  let catalog = context.memory.get(CATALOG_MEMORY) as SegmentCatalog | undefined;
  if (!catalog) {
    catalog = await SegmentCatalog.load(context.keyValues);
    context.memory.set(CATALOG_MEMORY, catalog);
  }
  return catalog;
}

function aliasCandidates(previousId: string): string[] {
  return [
    identifierKey('user_id', previousId.trim()),
    identifierKey('anonymous_id', previousId.trim()),
  ];
}

/** Segment's `alias`: previousId is an earlier userId when one is known, else an anonymous id. */
function previousIdentifier(previousId: string, batch: ProfileBatch, policy: IdentityPolicy) {
  const asUser = makeIdentifier('user_id', previousId, policy.junkValues);
  if (asUser && batch.owner(asUser.key)) return asUser;
  return makeIdentifier('anonymous_id', previousId, policy.junkValues);
}
