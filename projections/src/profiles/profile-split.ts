import type { RecordedEvent } from '@uspa/sdk';
import { INTERACTION_EVENT_TYPES } from '../identity/event-identifiers.js';
import type { ProfileSplitData } from '../identity/identity-events.js';
import type { ProjectionContext } from '../runtime/projection.js';
import type { ProfileBatch } from './profile-batch.js';
import { applyInteraction } from './profile-evolve.js';
import { interactionStreamsOf } from './profile-streams.js';
import { emptyProfile, type Profile } from './profile.js';

const INTERACTIONS = new Set<string>(INTERACTION_EVENT_TYPES);
const MAX_STREAM_EVENTS = 1_000_000;

/**
 * Applies an operator's split: the identifier leaves its profile for a new one, and both
 * profiles are recomputed from their streams as they stood at the split, since sums and
 * sessions cannot be taken apart.
 */
export async function applySplit(
  event: RecordedEvent,
  batch: ProfileBatch,
  context: ProjectionContext,
): Promise<void> {
  const split = event.data as ProfileSplitData;
  await batch.load([split.identifier]);
  const source = batch.owner(split.identifier);
  if (!source || source.id !== split.profileId || source.identifiers.length < 2) return;
  batch.detach(source, split.identifier);
  const detached = batch.add(emptyProfile(split.newProfileId, event.position));
  detached.identifiers.push(split.identifier);
  batch.setOwner(split.identifier, detached.id);
  detached.splitFrom.push(source.id);
  source.splitFrom.push(detached.id);
  for (const profile of [source, detached]) await recompute(profile, event.position, context);
}

async function recompute(
  profile: Profile,
  upTo: number,
  context: ProjectionContext,
): Promise<void> {
  const events: RecordedEvent[] = [];
  for (const stream of interactionStreamsOf(profile)) {
    const { events: stored } = await context.log.readStream(stream, {
      maxCount: MAX_STREAM_EVENTS,
    });
    for (const recorded of stored) {
      if (recorded.position <= upTo && INTERACTIONS.has(recorded.type)) events.push(recorded);
    }
  }
  events.sort((a, b) => a.position - b.position);
  const fresh = emptyProfile(profile.id, profile.createdAt);
  for (const interaction of events) applyInteraction(fresh, interaction);
  // Identity facts stay; what the events say is replaced by the recomputation.
  Object.assign(profile, fresh, {
    identifiers: profile.identifiers,
    mergedFrom: profile.mergedFrom,
    splitFrom: profile.splitFrom,
    segments: profile.segments,
    segmentTransitions: profile.segmentTransitions,
    computed: profile.computed,
    position: Math.max(upTo, fresh.position),
  });
}
