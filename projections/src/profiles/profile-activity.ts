import {
  ACTIVITY_LIMIT,
  ACTIVITY_RETENTION_DAYS,
  type ActivityEntry,
  type Profile,
} from './profile.js';

const MAX_STRING = 256;
const RETENTION_MS = ACTIVITY_RETENTION_DAYS * 24 * 60 * 60 * 1000;

/**
 * Adds an interaction to the profile's recent activity, kept sorted by event time (events may
 * arrive late) and trimmed to the newest {@link ACTIVITY_LIMIT} entries within
 * {@link ACTIVITY_RETENTION_DAYS} of the newest one. Retention counts from the newest event, not
 * from the clock, so a rebuild keeps exactly what live processing kept.
 */
export function recordActivity(
  profile: Profile,
  type: string,
  name: string | undefined,
  at: string,
  properties: Record<string, unknown> | undefined,
): void {
  const entry: ActivityEntry = { type, at, properties: scalarProperties(properties) };
  if (name !== undefined && name !== '') entry.name = name.slice(0, MAX_STRING);
  const activity = profile.activity;
  let index = activity.length;
  while (index > 0 && activity[index - 1]!.at > at) index--;
  activity.splice(index, 0, entry);
  profile.activity = trimmed(activity);
}

/** The activity of two merged profiles: one timeline, trimmed as one. */
export function mergeActivity(a: readonly ActivityEntry[], b: readonly ActivityEntry[]) {
  const merged = [...a, ...b].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return trimmed(merged);
}

function trimmed(activity: ActivityEntry[]): ActivityEntry[] {
  const newest = activity[activity.length - 1];
  if (newest === undefined) return activity;
  const oldestKept = new Date(Date.parse(newest.at) - RETENTION_MS).toISOString();
  let start = Math.max(0, activity.length - ACTIVITY_LIMIT);
  while (start < activity.length && activity[start]!.at < oldestKept) start++;
  return start === 0 ? activity : activity.slice(start);
}

/** Top-level scalars and lists of scalars: what event conditions filter on, kept small. */
function scalarProperties(properties: Record<string, unknown> | undefined) {
  const kept: Record<string, unknown> = {};
  if (!properties || typeof properties !== 'object') return kept;
  for (const [key, value] of Object.entries(properties)) {
    if (Array.isArray(value)) {
      const scalars = value.filter(isScalar).slice(0, 20).map(cut);
      if (scalars.length > 0) kept[key] = scalars;
    } else if (isScalar(value)) kept[key] = cut(value);
  }
  return kept;
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function cut<T>(value: T): T {
  return (typeof value === 'string' ? value.slice(0, MAX_STRING) : value) as T;
}
