/**
 * Smoke test for the real OpenSearch node (tools/opensearch-node, `npm run opensearch -- --detach`).
 * Skips when the node is down, fails when it is down and CI=true.
 */
import { Client } from '@opensearch-project/opensearch';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { requireService } from '../../testing/services.js';

const url = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const client = new Client({ node: url, requestTimeout: 10_000, maxRetries: 0 });

const opensearch = await requireService(`OpenSearch at ${url}`, async () => {
  await client.info();
});

describe.skipIf(!opensearch.available)('OpenSearch node (real)', () => {
  const index = `uspa-it-${randomUUID()}`;

  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it('is OpenSearch 2.19.x', async () => {
    const { body } = await client.info();
    expect(body.version.distribution).toBe('opensearch');
    expect(body.version.number).toMatch(/^2\.19\.\d+$/);
  });

  it('creates an index, indexes with refresh, searches and deletes', async () => {
    await client.indices.create({
      index,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: {
          properties: {
            name: { type: 'text' },
            segment: { type: 'keyword' },
            visits: { type: 'integer' },
          },
        },
      },
    });

    await client.index({
      index,
      id: 'p-1',
      body: { name: 'Ada Lovelace', segment: 'vip', visits: 12 },
      refresh: true,
    });
    await client.index({
      index,
      id: 'p-2',
      body: { name: 'Grace Hopper', segment: 'new', visits: 1 },
      refresh: true,
    });

    const { body } = await client.search({
      index,
      body: { query: { match: { name: 'lovelace' } } },
    });
    const total = body.hits.total;
    expect(typeof total === 'number' ? total : total?.value).toBe(1);
    expect(body.hits.hits).toHaveLength(1);
    const hit = body.hits.hits[0];
    expect(hit?._id).toBe('p-1');
    expect(hit?._source).toEqual({ name: 'Ada Lovelace', segment: 'vip', visits: 12 });

    await client.indices.delete({ index });
    const { body: exists } = await client.indices.exists({ index });
    expect(exists).toBe(false);
  });
});
