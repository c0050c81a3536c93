import { PROFILE_SPLIT, parseIdentifierKey, type ProfileSplitData } from '@uspa/projections';
import { streamOf } from '@uspa/sdk';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ProfileQueries } from './profile-queries.js';

/**
 * `SplitProfile`: detaches an identifier (and the events of its stream) into a profile of its
 * own. The command checks the read model (the issue asks for it: the identifier must belong to
 * the profile) and records a `ProfileSplit` that the profile projection applies.
 */
export async function splitProfile(
  store: EventStore,
  profiles: ProfileQueries,
  command: { profileId: string; identifier: string; requestedBy?: string },
): Promise<{ profileId: string; newProfileId: string; position: number }> {
  const identifier = parseIdentifierKey(command.identifier);
  if (!identifier)
    throw new ValidationError('identifier must be type:value, e.g. anonymous_id:a-1');
  const profile = await profiles.get(command.profileId);
  if (!profile.identifiers.includes(identifier.key)) {
    throw new ValidationError(`${identifier.key} does not belong to profile ${profile.id}`);
  }
  if (profile.identifiers.length < 2) {
    throw new ValidationError('a profile with a single identifier cannot be split');
  }
  const data: ProfileSplitData = {
    profileId: profile.id,
    identifier: identifier.key,
    newProfileId: randomUUID(),
    ...(command.requestedBy ? { requestedBy: command.requestedBy } : {}),
  };
  const { position } = await store.append(streamOf.profile(profile.id), [
    { type: PROFILE_SPLIT, data },
  ]);
  return { profileId: profile.id, newProfileId: data.newProfileId, position };
}
