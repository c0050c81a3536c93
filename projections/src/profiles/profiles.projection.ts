import { identifierKey, makeIdentifier } from '../identity/identifiers.js';
import { identifiersOf, INTERACTION_EVENT_TYPES } from '../identity/event-identifiers.js';
import { PROFILE_SPLIT } from '../identity/identity-events.js';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../identity/identity-policy.js';
import { resolveProfile } from '../identity/identity-resolver.js';
import { defineProjection, type Projection } from '../runtime/projection.js';
import { ProfileBatch } from './profile-batch.js';
import { applyInteraction } from './profile-evolve.js';
import { PROFILES_COLLECTION } from './profile-keys.js';
import { PROFILE_MAPPING } from './profile-search-document.js';
import { applySplit } from './profile-split.js';

export const PROFILES_PROJECTION = 'profiles';
/** Search documents written per settling commit: short transactions keep reads responsive. */
const INDEX_CHUNK = 2000;

/**
 * Identity resolution and the profile read model, in one pass over the log: each interaction
 * is first resolved to its profile (merging profiles it links, recording each merge as a
 * `ProfilesMerged` event), then folded into that profile. Doing both in one batch means the
 * profile side never waits for, or races ahead of, identity decisions; a rebuild replays both.
 */
export function profilesProjection(policy: IdentityPolicy = DEFAULT_IDENTITY_POLICY): Projection {
  return defineProjection({
    name: PROFILES_PROJECTION,
    version: 1,
    handles: [...INTERACTION_EVENT_TYPES, PROFILE_SPLIT],
    collections: { [PROFILES_COLLECTION]: PROFILE_MAPPING },
    async handle(events, context) {
      const batch = new ProfileBatch(context);
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
      for (const { event, identifiers, previousId } of resolved) {
        batch.handling(event);
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
      await batch.flush();
    },
    async settle(context) {
      return new ProfileBatch(context).indexPending(INDEX_CHUNK);
    },
  });
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
