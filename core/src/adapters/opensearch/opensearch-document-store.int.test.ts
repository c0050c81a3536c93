/**
 * The DocumentStore contract against the real OpenSearch node (tools/opensearch-node,
 * `npm run opensearch -- --detach`), and a comparison with the SQLite adapter on generated data.
 * Skips when the node is down, fails when it is down and CI=true.
 */
import { Client } from '@opensearch-project/opensearch';
import type {
  CollectionMapping,
  Document,
  DocumentFilter,
  DocumentQuery,
  DocumentStore,
  SortField,
} from '@uspa/projections';
import { documentStoreContract } from '@uspa/projections/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from '../../testing/services.js';
import { SqliteDocumentStore } from '../sqlite/sqlite-document-store.js';
import { OpenSearchDocumentStore } from './opensearch-document-store.js';

const url = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const probe = new Client({ node: url, requestTimeout: 10_000, maxRetries: 0 });
const opensearch = await requireService(`OpenSearch at ${url}`, async () => {
  await probe.info();
});
await probe.close();

/** A store on an index prefix of its own, so its indices never meet another run's. */
function openStore() {
  const indexPrefix = `uspa-it-${randomUUID().slice(0, 8)}-`;
  const client = new Client({ node: url, requestTimeout: 30_000 });
  const store = new OpenSearchDocumentStore(client, { indexPrefix, ownsClient: true });
  const cleanup = async () => {
    // Whatever a failed test left behind.
    await client.indices.delete({ index: `${indexPrefix}*`, ignore_unavailable: true });
    await store.close();
  };
  return { store, cleanup };
}

describe.skipIf(!opensearch.available)('OpenSearchDocumentStore (real node)', () => {
  documentStoreContract('opensearch', async () => openStore());

  describe('agrees with the SQLite adapter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uspa-agreement-'));
    const sqlite = SqliteDocumentStore.open(join(dir, 'documents.db'));
    const remote = openStore();
    const random = seeded(20240229);
    const collection = 'generated';

    beforeAll(async () => {
      const docs = Array.from({ length: 150 }, () => aDocument(random));
      for (const store of [sqlite, remote.store]) {
        await store.createCollection(collection, MAPPING);
        await store.write(
          docs.map((document, n) => ({ op: 'upsert', collection, id: `d${n}`, document })),
        );
      }
    });
    afterAll(async () => {
      await sqlite.close();
      await remote.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const both = async <T>(read: (store: DocumentStore) => Promise<T>) =>
      [await read(sqlite), await read(remote.store)] as const;

    it('on every page of generated searches', async () => {
      for (let n = 0; n < 80; n++) {
        const query: DocumentQuery = {
          filter: random() < 0.8 ? aFilter(random, 3) : undefined,
          text:
            random() < 0.3
              ? `${pick(random, WORDS)} ${random() < 0.5 ? '' : pick(random, WORDS)}`
              : undefined,
          sort: Array.from({ length: Math.floor(random() * 3) }, (): SortField => ({
            field: pick(random, SORTABLE),
            order: random() < 0.5 ? 'asc' : 'desc',
          })),
          size: 10 + Math.floor(random() * 50),
        };
        const [expected, actual] = await both((store) => allPages(store, collection, query));
        expect(actual, JSON.stringify(query)).toEqual(expected);
      }
    }, 120_000);

    it('on generated counts and terms aggregations', async () => {
      for (let n = 0; n < 60; n++) {
        const filter = random() < 0.7 ? aFilter(random, 2) : undefined;
        const field = pick(random, AGGREGATABLE);
        const size = 1 + Math.floor(random() * 12);
        const [counts, actualCounts] = await both((store) => store.count(collection, filter));
        expect(actualCounts, JSON.stringify(filter)).toBe(counts);
        const [terms, actualTerms] = await both((store) =>
          store.terms(collection, { field, filter, size }),
        );
        expect(actualTerms, JSON.stringify({ field, filter, size })).toEqual(terms);
      }
    }, 120_000);
  });
});

/** Every page's ids, total and whether it had a next cursor. */
async function allPages(store: DocumentStore, collection: string, query: DocumentQuery) {
  const pages: { ids: string[]; total: number }[] = [];
  let after: string | undefined;
  do {
    const page = await store.search(collection, { ...query, after });
    pages.push({ ids: page.hits.map((hit) => hit.id), total: page.total });
    after = page.next;
  } while (after !== undefined);
  return pages;
}

const MAPPING: CollectionMapping = {
  fields: {
    k: 'keyword',
    tags: 'keyword',
    n: 'number',
    d: 'date',
    b: 'boolean',
    t: 'text',
    u: 'text',
    'o.k': 'keyword',
    'o.n': 'number',
  },
};
const SORTABLE = ['k', 'tags', 'n', 'd', 'b', 'o.k', 'o.n'];
const AGGREGATABLE = ['k', 'tags', 'n', 'b', 'o.k', 'o.n'];
const KEYWORDS = ['alpha', 'Alpha', 'alp', 'beta', 'gamma', 'é', 'zeta', '10', '9', ''];
const WORDS = ['Ada', 'lovelace', 'ENGINE', 'first', 'zoë', 'MÜLLER', "don't", 'foo_bar', '日本'];
const DATES = [
  '2024-02-29T23:59:59.999Z',
  '2024-03-01',
  '2024-03-01T00:00:00Z',
  '2024-03-01T01:30:00+02:00',
  '2023-12-31T23:00:00-01:00',
  '2024-01-15T10:00',
  1709251200000,
];

type Random = () => number;

/** mulberry32: a small seeded generator, so a failure reproduces. */
function seeded(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** Every field type, missing values, arrays, and values a field ignores (`"7"` in a number). */
function aDocument(random: Random): Document {
  const maybe = (value: () => unknown) => (random() < 0.8 ? value() : undefined);
  const doc = {
    k: maybe(() => (random() < 0.1 ? 10 : pick(random, KEYWORDS))),
    tags: maybe(() =>
      random() < 0.3
        ? pick(random, KEYWORDS)
        : Array.from({ length: Math.floor(random() * 4) }, () => pick(random, KEYWORDS)),
    ),
    n: maybe(() =>
      random() < 0.1 ? '7' : Math.floor(random() * 25) - 5 + (random() < 0.2 ? 0.5 : 0),
    ),
    d: maybe(() => (random() < 0.05 ? 'garbage' : pick(random, DATES))),
    b: maybe(() => (random() < 0.1 ? 'true' : random() < 0.5)),
    t: maybe(() =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, WORDS)).join(' '),
    ),
    u: maybe(() => pick(random, WORDS)),
    o: maybe(() => ({
      k: maybe(() => pick(random, KEYWORDS)),
      n: maybe(() => Math.floor(random() * 5)),
    })),
  };
  return JSON.parse(JSON.stringify(doc)) as Document;
}

function aFilter(random: Random, depth: number): DocumentFilter {
  const roll = random();
  if (depth > 0 && roll < 0.3) {
    const children = Array.from({ length: Math.floor(random() * 4) }, () =>
      aFilter(random, depth - 1),
    );
    return random() < 0.5 ? { and: children } : { or: children };
  }
  if (depth > 0 && roll < 0.4) return { not: aFilter(random, depth - 1) };
  const field = pick(random, [...SORTABLE, 't']);
  const type = MAPPING.fields[field];
  if (type === 'text') return { field, exists: random() < 0.5 };
  const value = () =>
    type === 'number'
      ? Math.floor(random() * 25) - 5
      : type === 'date'
        ? pick(random, DATES)
        : type === 'boolean'
          ? random() < 0.5
          : pick(random, KEYWORDS);
  const kind = pick(random, ['eq', 'in', 'range', 'exists', 'prefix'] as const);
  if (kind === 'eq') return { field, eq: value() };
  if (kind === 'in') return { field, in: Array.from({ length: Math.floor(random() * 3) }, value) };
  if (kind === 'range' && type !== 'boolean') {
    return random() < 0.5
      ? { field, range: { gte: value(), lt: value() } }
      : { field, range: { gt: value() } };
  }
  if (kind === 'prefix' && type === 'keyword')
    return { field, prefix: pick(random, KEYWORDS).slice(0, 2) };
  return { field, exists: random() < 0.5 };
}
