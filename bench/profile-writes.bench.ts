/**
 * Profile serialisation benchmark: `npm run bench:profile-writes [-- --runs 5 --writes 20000]`.
 *
 * Every change to a profile writes it whole to the key-value store (Redis at scale) and views it
 * whole for its segment memberships and its search document. This times both for profiles with
 * more and more activity, one recorded event between changes: the text as the read model writes
 * it (`profileJson`: each activity entry serialised once, its text reused) against a plain
 * `JSON.stringify`, and the segment view with entries it has viewed before (their views kept)
 * against the same entries new (as a profile read from storage has them), in the same process.
 */
import { parseArgs } from 'node:util';
import { recordActivity } from '../projections/src/profiles/profile-activity.js';
import { profileJson } from '../projections/src/profiles/profile-json.js';
import { emptyProfile, type Profile } from '../projections/src/profiles/profile.js';
import { segmentView } from '../projections/src/segments/condition/segment-view.js';
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
 * Microseconds per change: one event recorded (the oldest entry dropped, so the profile keeps
 * `entries`), then `work` done on the profile, `WRITES` times. With `fresh`, the entries are
 * copied first (outside the time), as a profile just read from storage has them.
 */
function time(work: (profile: Profile) => number, entries: number, fresh = false): number {
  const profile = aProfile(entries);
  let size = 0;
  let spent = 0;
  for (let i = 0; i < WRITES; i++) {
    record(profile, entries + i);
    profile.activity = entries === 0 ? [] : profile.activity.slice(-entries);
    if (fresh) profile.activity = profile.activity.map((entry) => ({ ...entry }));
    const started = performance.now();
    size += work(profile);
    spent += performance.now() - started;
  }
  if (size === 0) throw new Error('nothing done');
  return (spent * 1000) / WRITES;
}

const stringified = (profile: Profile): number => JSON.stringify(profile).length;
const written = (profile: Profile): number => profileJson(profile).length;
const viewed = (profile: Profile): number => segmentView(profile).facts.length + 1;

const rows: Row[] = [];
for (const entries of [0, 10, 50, 100]) {
  const runs = {
    plain: [] as number[],
    reused: [] as number[],
    fresh: [] as number[],
    kept: [] as number[],
  };
  for (let run = 0; run < RUNS; run++) {
    runs.plain.push(time(stringified, entries));
    runs.reused.push(time(written, entries));
    runs.fresh.push(time(viewed, entries, true));
    runs.kept.push(time(viewed, entries));
  }
  const µs = (values: number[]): number => Number(median(values).toFixed(2));
  const sample = aProfile(entries);
  rows.push({
    'activity entries': sample.activity.length,
    'profile KB': Number((JSON.stringify(sample).length / 1024).toFixed(1)),
    'JSON.stringify µs': µs(runs.plain),
    'profileJson µs': µs(runs.reused),
    'write ratio': `${(median(runs.plain) / median(runs.reused)).toFixed(1)}×`,
    'view µs, new entries': µs(runs.fresh),
    'view µs, entries seen before': µs(runs.kept),
    'view ratio': `${(median(runs.fresh) / median(runs.kept)).toFixed(1)}×`,
  });
}
printTable(
  `One profile change, after one more event each time: its text, and its segment view (medians of ${RUNS} runs × ${WRITES.toLocaleString('en-US')} changes)`,
  rows,
);
