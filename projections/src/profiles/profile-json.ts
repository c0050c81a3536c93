import { memoOn } from '../runtime/memo-on.js';
import type { ActivityEntry, Profile } from './profile.js';

/** Where an activity entry keeps its JSON text (see {@link memoOn}). */
const TEXT = Symbol('activity entry JSON');

/**
 * The profile as the JSON text its key-value entry holds.
 *
 * Most of an active profile's text is its activity (up to 100 entries, each with the event's
 * properties), and between two writes it changes by an entry or two. Each entry is serialised
 * once and its text reused, so a write costs the rest of the profile rather than all of it: for a
 * profile with 100 entries, a few microseconds instead of tens. Entries are never changed once
 * recorded. `activity` comes last in the text; parsing it gives the same profile.
 *
 * @example
 * keyValues.write({ op: 'set', key: profileKeys.profile(profile.id), value: profileJson(profile) });
 */
export function profileJson(profile: Profile): string {
  const { activity } = profile;
  if (activity.length === 0) return JSON.stringify(profile);
  let entries = '';
  for (let i = 0; i < activity.length; i++) {
    const text = memoOn(activity[i]!, TEXT, entryJson);
    entries = i === 0 ? text : `${entries},${text}`;
  }
  // An undefined property is left out of the text: the rest of the profile, without copying it.
  (profile as { activity: ActivityEntry[] | undefined }).activity = undefined;
  let rest: string;
  try {
    rest = JSON.stringify(profile);
  } finally {
    profile.activity = activity;
  }
  const comma = rest.length > 2 ? ',' : '';
  return `${rest.slice(0, -1)}${comma}"activity":[${entries}]}`;
}

const entryJson = (entry: ActivityEntry): string => JSON.stringify(entry);
