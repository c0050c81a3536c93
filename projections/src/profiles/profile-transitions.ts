import type { RecordedEvent } from '@uspa/sdk';
import type { SegmentTransitionData } from '../segments/segment-events.js';
import { applyTransition } from '../segments/segment-membership.js';
import type { ProfileBatch } from './profile-batch.js';

/**
 * Folds a recorded `SegmentEntered`/`SegmentExited` into its profile. Live, the projection
 * recorded it itself and the fold changes nothing; in a rebuild it restores the memberships and
 * sequence numbers already decided, so re-evaluating continues them.
 */
export async function foldTransition(event: RecordedEvent, batch: ProfileBatch): Promise<void> {
  const data = event.data as SegmentTransitionData;
  await batch.loadProfiles([data.profileId]);
  const profile = batch.profile(data.profileId);
  if (!profile) return; // merged away since: the survivor is evaluated on its own
  const before = profile.segmentTransitions[data.segmentId] ?? 0;
  applyTransition(profile, event.type, data);
  if (before !== profile.segmentTransitions[data.segmentId]) batch.touch(profile);
}
