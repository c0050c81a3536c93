import type { EventToAppend } from '@uspa/sdk';
import type { Profile } from '../profiles/profile.js';
import { derivedId } from '../runtime/derived-id.js';
import type { SegmentCatalog } from './segment-catalog.js';
import { segmentView, type SegmentView } from './condition/segment-view.js';
import {
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  type SegmentTransitionData,
  type TransitionReason,
} from './segment-events.js';

/**
 * Evaluates every segment for one profile at `now`, in dependency order, and updates the
 * profile in place: its memberships, their transition counts and when a time window next moves.
 * Returns the `SegmentEntered` / `SegmentExited` events for the profile's stream, each with an
 * id derived from (profile, segment, sequence), so evaluating again after a crash or during a
 * rebuild appends nothing twice.
 */
export function evaluateMemberships(
  profile: Profile,
  catalog: SegmentCatalog,
  now: number,
  reason: TransitionReason,
  view: SegmentView = segmentView(profile, catalog.viewScope()),
): EventToAppend[] {
  const before = new Set(profile.segments);
  const members = view.segments;
  members.clear();
  let reevaluateAt: number | undefined;
  for (const segment of catalog.ordered()) {
    const id = segment.definition.id;
    if (segment.matches.matches(view, now)) members.add(id);
    const next = segment.matches.nextWindowChange(view, now);
    if (next !== undefined && (reevaluateAt === undefined || next < reevaluateAt)) {
      reevaluateAt = next;
    }
  }
  if (reevaluateAt === undefined) delete profile.reevaluateAt;
  else profile.reevaluateAt = reevaluateAt;

  const events: EventToAppend[] = [];
  const at = new Date(now).toISOString();
  const transition = (type: string, segmentId: string): void => {
    const sequence = (profile.segmentTransitions[segmentId] ?? 0) + 1;
    profile.segmentTransitions[segmentId] = sequence;
    const data: SegmentTransitionData = {
      profileId: profile.id,
      segmentId,
      sequence,
      segmentVersion: catalog.get(segmentId)?.definition.version ?? 0,
      reason,
      at,
    };
    events.push({ id: derivedId(type, profile.id, segmentId, String(sequence)), type, data });
  };
  for (const id of members) if (!before.has(id)) transition(SEGMENT_ENTERED, id);
  for (const id of before) if (!members.has(id)) transition(SEGMENT_EXITED, id);
  if (events.length > 0) profile.segments = [...members].sort();
  return events;
}

/**
 * Folds a recorded entry or exit into the profile: a rebuild learns the transitions already in
 * the log, so its own evaluation continues their sequence instead of repeating it.
 */
export function applyTransition(profile: Profile, type: string, data: SegmentTransitionData): void {
  if (data.sequence <= (profile.segmentTransitions[data.segmentId] ?? 0)) return;
  profile.segmentTransitions[data.segmentId] = data.sequence;
  const members = new Set(profile.segments);
  if (type === SEGMENT_ENTERED) members.add(data.segmentId);
  else members.delete(data.segmentId);
  profile.segments = [...members].sort();
}
