/**
 * The three back ends of the segment condition language agree: for random conditions over random
 * profiles, evaluating in memory, counting and searching on the SQLite document store (a temp
 * file) and on the OpenSearch document store (the real node) give the same members. OpenSearch
 * is skipped with the reason printed when the node is down, and fails on CI.
 */
import { Client } from '@opensearch-project/opensearch';
import fc from 'fast-check';
import {
  checkCondition,
  evaluateCondition,
  PROFILE_MAPPING,
  segmentView,
  viewScope,
  type Condition,
  type DocumentStore,
  type ProfileLike,
} from '@uspa/projections';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchDocumentStore } from '../adapters/opensearch/opensearch-document-store.js';
import { SqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store.js';
import { requireService } from '../testing/services.js';
import { aCondition, aProfile, BASE_NOW, DAY } from './condition-arbitraries.fixture.js';

const url = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const probe = new Client({ node: url, requestTimeout: 10_000, maxRetries: 0 });
const opensearch = await requireService(`OpenSearch at ${url}`, async () => {
  await probe.info();
});
await probe.close();

const COLLECTION = 'profiles';
const PROFILES = 25;
const CONDITIONS_PER_RUN = 6;

/** What the profile document stores of a profile: the segment view (as `searchDocument` does). */
function documentOf(profile: ProfileLike) {
  const view = segmentView(profile);
  return { facts: view.facts, activity: view.activity, segments: [...view.segments] };
}

/**
 * The stores under test, opened before and closed after the enclosing suite: SQLite on a temp
 * file, and OpenSearch (an index prefix of its own) when the node answers.
 */
function storesUnderTest(prepare: (store: DocumentStore) => Promise<void>) {
  const stores: { name: string; store: DocumentStore }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'uspa-conditions-'));
  let dropIndices = async (): Promise<void> => {};
  beforeAll(async () => {
    stores.push({ name: 'sqlite', store: SqliteDocumentStore.open(join(dir, 'documents.db')) });
    if (opensearch.available) {
      const indexPrefix = `uspa-it-${randomUUID().slice(0, 8)}-`;
      const client = new Client({ node: url, requestTimeout: 30_000 });
      const store = new OpenSearchDocumentStore(client, { indexPrefix, ownsClient: true });
      stores.push({ name: 'opensearch', store });
      dropIndices = async () => {
        await client.indices.delete({ index: `${indexPrefix}*`, ignore_unavailable: true });
      };
    }
    for (const { store } of stores) await prepare(store);
  });
  afterAll(async () => {
    await dropIndices();
    for (const { store } of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return stores;
}

describe('segment conditions: memory, SQLite and OpenSearch agree', () => {
  const stores = storesUnderTest((store) => store.createCollection(COLLECTION, PROFILE_MAPPING));

  it('on random conditions over random profiles', async () => {
    const run = fc
      .integer({ min: -3 * DAY, max: 3 * DAY })
      .map((offset) => BASE_NOW + offset)
      .chain((now) =>
        fc.record({
          now: fc.constant(now),
          profiles: fc.array(aProfile(now), { minLength: PROFILES, maxLength: PROFILES }),
          conditions: fc.array(aCondition(now), {
            minLength: CONDITIONS_PER_RUN,
            maxLength: CONDITIONS_PER_RUN,
          }),
        }),
      );
    let matched = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(run, async ({ now, profiles, conditions }) => {
        // The same ids every run: each run's upserts replace the previous run's profiles.
        const writes = profiles.map((profile, n) => ({
          op: 'upsert' as const,
          collection: COLLECTION,
          id: `p${String(n).padStart(2, '0')}`,
          document: documentOf(profile),
        }));
        for (const { store } of stores) await store.write(writes);
        const views = profiles.map((profile) => segmentView(profile));
        for (const condition of conditions) {
          const checked = checkCondition(condition);
          expect(checked, JSON.stringify(condition)).toEqual({ ok: true, condition });
          const expected = writes
            .filter((_, n) => evaluateCondition(condition, views[n]!, { now }))
            .map((write) => write.id);
          // A live change builds only what the condition reads: the answers are the same.
          const scope = viewScope([condition]);
          const scoped = writes
            .filter((_, n) =>
              evaluateCondition(condition, segmentView(profiles[n]!, scope), { now }),
            )
            .map((write) => write.id);
          expect(scoped, JSON.stringify(condition)).toEqual(expected);
          for (const { name, store } of stores) {
            const found = await members(store, condition, now);
            expect({ backEnd: name, ...found }, JSON.stringify(condition)).toEqual({
              backEnd: name,
              ids: expected,
              count: expected.length,
            });
          }
          matched += expected.length;
          compared += PROFILES;
        }
      }),
      { numRuns: Number(process.env.CONDITION_RUNS ?? 80) },
    );
    // Guard against a generator that never selects anybody, or everybody.
    expect(matched / compared).toBeGreaterThan(0.1);
    expect(matched / compared).toBeLessThan(0.9);
  }, 120_000);
});

describe('segment conditions on the document stores', () => {
  const stores = storesUnderTest(async (store) => {
    await store.createCollection(COLLECTION, PROFILE_MAPPING);
    await store.createCollection('plain', { fields: { segments: 'keyword' } });
    await store.write([
      { op: 'upsert', collection: COLLECTION, id: 'ada', document: ADA },
      { op: 'upsert', collection: COLLECTION, id: 'bob', document: BOB },
    ]);
  });

  it('ANDs the condition with the filter and the text, and pages', async () => {
    const condition: Condition = { property: 'traits.plan', op: 'in', value: ['pro', 'team'] };
    const match = { condition, now: BASE_NOW };
    for (const { name, store } of stores) {
      const both = await store.search(COLLECTION, { condition: match, size: 1 });
      expect([name, both.hits.map((hit) => hit.id), both.total]).toEqual([name, ['ada'], 2]);
      const next = await store.search(COLLECTION, { condition: match, size: 1, after: both.next });
      expect([name, next.hits.map((hit) => hit.id)]).toEqual([name, ['bob']]);
      const filtered = { field: 'geo.country', eq: 'FR' } as const;
      expect([name, await store.count(COLLECTION, filtered, match)]).toEqual([name, 1]);
      const page = await store.search(COLLECTION, { condition: match, text: 'ada' });
      expect([name, page.hits.map((hit) => hit.id)]).toEqual([name, ['ada']]);
    }
  });

  it('compares numbers beyond 2^53 as the doubles they are, as memory does', async () => {
    const big = 2 ** 60; // JSON writes 1152921504606847000, not the double's exact value
    const cases: [Condition, string[]][] = [
      [{ property: 'traits.big', op: 'equals', value: big }, ['ada']],
      [{ property: 'traits.big', op: 'gt', value: big }, []],
      [{ property: 'traits.big', op: 'between', value: [big, big] }, ['ada']],
      [{ property: 'traits.big', op: 'in', value: [big] }, ['ada']],
    ];
    for (const [condition, expected] of cases) {
      const inMemory = evaluateCondition(condition, segmentView(ADA_PROFILE), { now: BASE_NOW });
      expect(inMemory).toBe(expected.length > 0);
      for (const { name, store } of stores) {
        const page = await store.search(COLLECTION, { condition: { condition, now: BASE_NOW } });
        expect([name, condition, page.hits.map((hit) => hit.id)]).toEqual([
          name,
          condition,
          expected,
        ]);
      }
    }
  });

  it('refuses an invalid condition, and a collection without segment views', async () => {
    const invalid = { condition: { event: { count: { min: 2, max: 1 } } }, now: BASE_NOW };
    const valid = { condition: { segment: 'vip' }, now: BASE_NOW };
    for (const { store } of stores) {
      await expect(store.count(COLLECTION, undefined, invalid)).rejects.toThrow(
        'Invalid condition: event.count: min must be ≤ max',
      );
      await expect(store.search('plain', { condition: valid })).rejects.toThrow(
        'Collection "plain" holds no segment views',
      );
      await expect(
        store.createCollection('misplaced', { fields: { 'traits.facts': 'facts' } }),
      ).rejects.toThrow('only the top-level field "facts" can');
    }
  });

  it('answers a regex Lucene cannot determinize on SQLite, and refuses it on OpenSearch', async () => {
    const condition: Condition = { property: 'traits.plan', op: 'matchesRegex', value: 'p.{40}' };
    const match = { condition, now: BASE_NOW };
    for (const { name, store } of stores) {
      const counted = store.count(COLLECTION, undefined, match);
      if (name === 'sqlite') await expect(counted).resolves.toBe(0);
      else await expect(counted).rejects.toThrow('pattern is too complex for OpenSearch');
    }
  });
});

const ADA_PROFILE = {
  traits: { plan: 'pro', big: 2 ** 60 },
  geo: { country: 'DE' },
  segments: ['vip'],
};
const ADA = {
  ...documentOf(ADA_PROFILE),
  geo: { country: 'DE' },
  search: 'Ada Lovelace',
};
const BOB = {
  ...documentOf({ traits: { plan: 'team' }, geo: { country: 'FR' } }),
  geo: { country: 'FR' },
  search: 'Bob',
};

async function members(store: DocumentStore, condition: Condition, now: number) {
  const match = { condition, now };
  const page = await store.search(COLLECTION, { condition: match, size: 100 });
  const count = await store.count(COLLECTION, undefined, match);
  return { ids: page.hits.map((hit) => hit.id), count };
}
