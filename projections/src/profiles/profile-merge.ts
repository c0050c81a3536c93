import { mergeActivity } from './profile-activity.js';
import { decayed, round } from './profile-evolve.js';
import type { Profile } from './profile.js';

/**
 * Folds `merged` into `survivor`, in place: the person's two histories become one. Sums add up,
 * traits keep the value of the latest event, the latest seen device and place win.
 * Sessions are summed: two profiles' sessions are counted apart before they were known as one.
 */
export function mergeProfiles(survivor: Profile, merged: Profile): void {
  survivor.identifiers = union(survivor.identifiers, merged.identifiers);
  for (const [key, at] of Object.entries(merged.traitTimestamps)) {
    const mine = survivor.traitTimestamps[key];
    if (mine === undefined || at > mine) {
      survivor.traits[key] = merged.traits[key];
      survivor.traitTimestamps[key] = at;
    }
  }
  const counters = survivor.counters;
  counters.total += merged.counters.total;
  addAll(counters.byType, merged.counters.byType);
  addAll(counters.byEvent, merged.counters.byEvent);
  survivor.sessions.count += merged.sessions.count;
  survivor.sessions.lastStartedAt = latest(
    survivor.sessions.lastStartedAt,
    merged.sessions.lastStartedAt,
  );
  if (merged.lastSeen !== undefined && (survivor.lastSeen ?? '') < merged.lastSeen) {
    if (merged.geo) survivor.geo = merged.geo;
    if (merged.device) survivor.device = merged.device;
    survivor.lastSeen = merged.lastSeen;
  }
  if (merged.firstSeen !== undefined && (survivor.firstSeen ?? '\uffff') > merged.firstSeen) {
    survivor.firstSeen = merged.firstSeen;
  }
  mergeCommerce(survivor, merged);
  for (const [topic, interest] of Object.entries(merged.interests)) {
    const mine = survivor.interests[topic];
    if (!mine) survivor.interests[topic] = { ...interest };
    else {
      const at = mine.at >= interest.at ? mine.at : interest.at;
      mine.score = decayed(mine.score, mine.at, at) + decayed(interest.score, interest.at, at);
      mine.at = at;
    }
  }
  survivor.groups = union(survivor.groups, merged.groups);
  survivor.activity = mergeActivity(survivor.activity, merged.activity);
  survivor.mergedFrom = union(survivor.mergedFrom, [merged.id, ...merged.mergedFrom]);
  survivor.splitFrom = union(survivor.splitFrom, merged.splitFrom);
  survivor.position = Math.max(survivor.position, merged.position);
}

function mergeCommerce(survivor: Profile, merged: Profile): void {
  const mine = survivor.ecommerce;
  const theirs = merged.ecommerce;
  mine.orders += theirs.orders;
  mine.revenue = round(mine.revenue + theirs.revenue);
  mine.refunds += theirs.refunds;
  mine.refundedAmount = round(mine.refundedAmount + theirs.refundedAmount);
  mine.averageOrderValue = mine.orders > 0 ? round(mine.revenue / mine.orders) : 0;
  mine.lastOrderAt = latest(mine.lastOrderAt, theirs.lastOrderAt);
}

function addAll(target: Record<string, number>, source: Record<string, number>): void {
  for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}
