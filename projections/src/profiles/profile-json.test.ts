import { describe, expect, it } from 'vitest';
import { recordActivity } from './profile-activity.js';
import { profileJson } from './profile-json.js';
import { ACTIVITY_LIMIT, emptyProfile, type Profile } from './profile.js';

const DAY = '2026-11-29';

function viewed(profile: Profile, n: number): void {
  const at = new Date(Date.parse(`${DAY}T08:00:00Z`) + n * 60_000).toISOString();
  recordActivity(profile, 'Tracked', 'Product Viewed', at, {
    product_id: `SKU-${n}`,
    name: 'Set of 3 "cake" tins\n',
    price: 4.95,
  });
}

function anActiveProfile(events: number): Profile {
  const profile = emptyProfile('9d6f2c1e-7a55-4c1b-8e0f-3b2a1c4d5e6f', 1);
  profile.identifiers.push('anonymous_id:visitor-1');
  profile.traits = { email: 'ada@example.com', activity: [] };
  for (let n = 0; n < events; n++) viewed(profile, n);
  return profile;
}

describe('profileJson', () => {
  it('is the profile: parsing it gives every field back', () => {
    const profile = anActiveProfile(3);
    expect(JSON.parse(profileJson(profile))).toEqual(JSON.parse(JSON.stringify(profile)));
    expect(profile.activity).toHaveLength(3);
  });

  it('follows the activity as entries are added, arrive late and are trimmed', () => {
    const profile = anActiveProfile(ACTIVITY_LIMIT);
    profileJson(profile);
    viewed(profile, ACTIVITY_LIMIT + 5);
    // Late: it goes between the entries already written.
    viewed(profile, 50.5);
    const parsed = JSON.parse(profileJson(profile)) as Profile;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(profile)));
    expect(parsed.activity).toHaveLength(ACTIVITY_LIMIT);
    expect(parsed.activity[0]?.properties.product_id).toBe('SKU-2');
    expect(parsed.activity.at(-1)?.properties.product_id).toBe(`SKU-${ACTIVITY_LIMIT + 5}`);
  });

  it('gives the same text for a profile read back from storage', () => {
    const profile = anActiveProfile(10);
    const stored = profileJson(profile);
    const loaded = JSON.parse(stored) as Profile;
    expect(profileJson(loaded)).toBe(stored);
    viewed(loaded, 11);
    viewed(profile, 11);
    expect(JSON.parse(profileJson(loaded))).toEqual(JSON.parse(profileJson(profile)));
  });

  it('leaves no trace on the profile or its entries', () => {
    const profile = anActiveProfile(2);
    profileJson(profile);
    expect(Object.keys(profile.activity[0]!)).toEqual(['type', 'at', 'properties', 'name']);
    expect({ ...profile.activity[0] }).toEqual(JSON.parse(JSON.stringify(profile.activity[0])));
    expect(JSON.stringify(profile)).toContain('"activity":[{"type":"Tracked"');
  });

  it('writes a profile without activity as it is', () => {
    const profile = emptyProfile('9d6f2c1e-7a55-4c1b-8e0f-3b2a1c4d5e6f', 1);
    expect(profileJson(profile)).toBe(JSON.stringify(profile));
  });
});
