/**
 * Profile serialisation benchmark: `npm run bench:profile-writes [-- --runs 5 --writes 20000]`.
 *
 * Every change to a profile writes it whole to the key-value store (Redis at scale). This times
 * the text of one write for profiles with more and more activity, as the read model writes it
 * (`profileJson`: each activity entry serialised once, its text reused) and as a plain
 * `JSON.stringify` of the same profile, in the same process, one recorded event between writes.
 */
import { parseArgs } from 'node:util';
import { recordActivity } from '../projections/src/profiles/profile-activity.js';
import { profileJson } from '../projections/src/profiles/profile-json.js';
import { emptyProfile, type Profile } from '../projections/src/profiles/profile.js';
import { viewedProduct } from './product-viewed.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    writes: { type: 'string', default: '20000' },
  },
});
const RUNS = Number(values.runs);
const WRITES = Number(values.writes);
const START = Date.parse('2026-11-01T00:00:00Z');

function record(profile: Profile, n: number): void {
  const at = new Date(START + n * 60_000).toISOString();
  recordActivity(profile, 'Tracked', 'Product Viewed', at, {
    ...viewedProduct,
    product_id: `SKU-${n % 500}`,
  });
}

function aProfile(entries: number): Profile {
  const profile = emptyProfile('2f1e0d9c-8b7a-4654-9321-0fedcba98765', START);
  profile.identifiers.push('anonymous_id:visitor-1', 'email:ada@example.com');
  profile.traits = { email: 'ada@example.com', name: 'Ada', plan: 'pro' };
  profile.counters = { total: entries, byType: { Tracked: entries }, byEvent: {} };
  for (let n = 0; n < entries; n++) record(profile, n);
  return profile;
}

/**
 * Microseconds per write: one event recorded (the oldest entry dropped, so the profile keeps
 * `entries`), then the profile serialised, `WRITES` times.
 */
function time(serialise: (profile: Profile) => string, entries: number): number {
  const profile = aProfile(entries);
  let length = 0;
  let spent = 0;
  for (let i = 0; i < WRITES; i++) {
    record(profile, entries + i);
    profile.activity = entries === 0 ? [] : profile.activity.slice(-entries);
    const started = performance.now();
    length += serialise(profile).length;
    spent += performance.now() - started;
  }
  if (length === 0) throw new Error('nothing serialised');
  return (spent * 1000) / WRITES;
}

const rows: Row[] = [];
for (const entries of [0, 10, 50, 100]) {
  const plain: number[] = [];
  const reused: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    plain.push(time((profile) => JSON.stringify(profile), entries));
    reused.push(time(profileJson, entries));
  }
  const sample = aProfile(entries);
  const ratio = median(plain) / median(reused);
  rows.push({
    'activity entries': sample.activity.length,
    'profile KB': Number((JSON.stringify(sample).length / 1024).toFixed(1)),
    'JSON.stringify µs (median)': Number(median(plain).toFixed(2)),
    'profileJson µs (median)': Number(median(reused).toFixed(2)),
    ratio: `${ratio.toFixed(1)}×`,
  });
}
printTable(
  `One profile write, after one more event each time (${WRITES.toLocaleString('en-US')} writes × ${RUNS} runs)`,
  rows,
);
