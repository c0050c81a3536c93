/**
 * Segment preview benchmark: `npm run bench:segments [-- --profiles 100000 --runs 5]`.
 *
 * Fills the embedded (SQLite) document store with generated profiles, stored as the profile
 * projection stores them (`searchDocument`), then times what the console's segment preview asks
 * for each condition: the member count and a first page of 20 members. Prints medians; the goal
 * is a count under a second over 100,000 profiles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteDocumentStore } from '../core/src/adapters/sqlite/sqlite-document-store.js';
import {
  emptyProfile,
  PROFILE_MAPPING,
  searchDocument,
  type Condition,
  type DocumentWrite,
  type Profile,
} from '../projections/src/index.js';
import { median, printTable, type Row } from './table.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    dir: { type: 'string', default: tmpdir() },
  },
});
const PROFILES = Number(values.profiles);
const RUNS = Number(values.runs);
const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const COLLECTION = 'profiles';

const PLANS = ['free', 'pro', 'team', 'enterprise'];
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL', 'PL'];
const EVENTS = [
  'Order Completed',
  'Product Viewed',
  'Cart Viewed',
  'Checkout Started',
  'Signed Up',
];

/** A deterministic pseudo-random sequence, so runs compare. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** A profile with traits, figures and 0–40 recent interactions over the last 90 days. */
function aProfile(n: number, random: () => number): Profile {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const profile = emptyProfile(`p${n}`, n);
  profile.identifiers = [`user_id:u${n}`, `email:u${n}@example.com`];
  profile.traits = {
    email: `u${n}@example.com`,
    name: `Customer ${n}`,
    plan: pick(PLANS),
    age: 18 + Math.floor(random() * 60),
    newsletter: random() < 0.4,
    tags: random() < 0.3 ? ['beta', pick(['early', 'partner'])] : [],
  };
  profile.geo = { country: pick(COUNTRIES), city: `City ${Math.floor(random() * 200)}` };
  profile.device = { type: pick(['mobile', 'desktop', 'tablet']), browser: 'Firefox' };
  profile.firstSeen = new Date(NOW - Math.floor(random() * 400) * DAY).toISOString();
  profile.lastSeen = new Date(NOW - Math.floor(random() * 30) * DAY).toISOString();
  const entries = Math.floor(random() * 41);
  for (let i = 0; i < entries; i++) {
    const name = pick(EVENTS);
    const properties: Record<string, unknown> =
      name === 'Order Completed'
        ? {
            total: Math.round(random() * 30_000) / 100,
            currency: 'EUR',
            items: 1 + Math.floor(random() * 4),
          }
        : {
            product_id: `SKU-${Math.floor(random() * 1000)}`,
            category: pick(['cakes', 'tins', 'mugs']),
          };
    const at = new Date(NOW - Math.floor(random() * 90 * DAY)).toISOString();
    profile.activity.push({ type: 'Tracked', name, at, properties });
  }
  profile.activity.sort((a, b) => (a.at < b.at ? -1 : 1));
  profile.counters = { total: entries, byType: { Tracked: entries }, byEvent: {} };
  const orders = profile.activity.filter((entry) => entry.name === 'Order Completed');
  profile.ecommerce.orders = orders.length;
  profile.ecommerce.revenue = orders.reduce(
    (sum, entry) => sum + Number(entry.properties.total),
    0,
  );
  profile.segments = random() < 0.2 ? ['vip'] : [];
  return profile;
}

const CONDITIONS: [string, Condition][] = [
  ['trait equals', { property: 'traits.plan', op: 'equals', value: 'enterprise' }],
  [
    'event count in window',
    {
      event: {
        name: 'Order Completed',
        where: [{ property: 'properties.total', op: 'gt', value: 50 }],
        count: { min: 3 },
        within: { lastDays: 30 },
      },
    },
  ],
  [
    'and/or mix',
    {
      and: [
        { or: [{ property: 'geo.country', op: 'in', value: ['DE', 'FR'] }, { segment: 'vip' }] },
        { property: 'traits.age', op: 'between', value: [25, 45] },
        { not: { event: { name: 'Signed Up', within: { lastDays: 14 } } } },
      ],
    },
  ],
  ['regex on email', { property: 'traits.email', op: 'matchesRegex', value: '^u12[0-9]*@' }],
  [
    'never ordered (any type)',
    { event: { type: 'Tracked', name: 'Order Completed', count: { max: 0 } } },
  ],
];

async function fill(store: SqliteDocumentStore): Promise<number> {
  const random = seeded(20250601);
  await store.createCollection(COLLECTION, PROFILE_MAPPING);
  const started = performance.now();
  for (let from = 0; from < PROFILES; from += 5000) {
    const writes: DocumentWrite[] = [];
    for (let n = from; n < Math.min(PROFILES, from + 5000); n++) {
      writes.push({
        op: 'upsert',
        collection: COLLECTION,
        id: `p${n}`,
        document: searchDocument(aProfile(n, random)),
      });
    }
    await store.write(writes);
  }
  return (performance.now() - started) / 1000;
}

async function time(read: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await read();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(values.dir, 'uspa-bench-segments-'));
  const store = SqliteDocumentStore.open(join(work, 'documents.db'));
  try {
    const seconds = await fill(store);
    console.log(`${PROFILES.toLocaleString('en-US')} profiles written in ${seconds.toFixed(1)} s`);
    const rows: Row[] = [];
    for (const [label, condition] of CONDITIONS) {
      const match = { condition, now: NOW };
      const members = await store.count(COLLECTION, undefined, match); // warm-up
      const counts: number[] = [];
      const pages: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        counts.push(await time(() => store.count(COLLECTION, undefined, match)));
        pages.push(await time(() => store.search(COLLECTION, { condition: match, size: 20 })));
      }
      rows.push({
        condition: label,
        members,
        'count ms (median)': Math.round(median(counts)),
        'first 20 ms (median)': Math.round(median(pages)),
      });
    }
    printTable(
      `Segment preview on the embedded store, ${PROFILES.toLocaleString('en-US')} profiles`,
      rows,
    );
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
