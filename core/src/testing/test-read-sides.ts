import { Client } from '@opensearch-project/opensearch';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisKeyValueStore } from '../adapters/redis/redis-key-value-store.js';
import { requireService, type ServiceStatus } from './services.js';
import { startTestServer, type TestServer } from './uspa-test-server.js';

export const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves when OpenSearch and Redis both answer; rejects with the first one's failure. */
export async function pingScaleOutReadSide(): Promise<void> {
  const client = new Client({ node: OPENSEARCH_URL, requestTimeout: 5000, maxRetries: 0 });
  const redis = RedisKeyValueStore.connect(REDIS_URL);
  try {
    await client.info();
    await redis.ping();
  } finally {
    await client.close();
    await redis.close().catch(() => undefined);
  }
}

/** Whether OpenSearch and Redis both answer (skips with the reason, or fails on CI). */
export function requireScaleOutReadSide(): Promise<ServiceStatus> {
  return requireService(
    `OpenSearch at ${OPENSEARCH_URL} and Redis at ${REDIS_URL}`,
    pingScaleOutReadSide,
  );
}

export interface TestReadSide {
  name: string;
  available: boolean;
  start(): Promise<TestServer>;
}

/**
 * The read sides an HTTP test runs on: embedded always, OpenSearch + Redis when they answer.
 *
 * @example
 * for (const readSide of await testReadSides('api')) describe.skipIf(!readSide.available)(...)
 */
export async function testReadSides(label: string): Promise<TestReadSide[]> {
  const scaleOut = await requireScaleOutReadSide();
  return [
    { name: 'embedded', available: true, start: () => startTestServer() },
    {
      name: 'OpenSearch + Redis',
      available: scaleOut.available,
      start: () => startScaleOutServer(label),
    },
  ];
}

/** A server on OpenSearch + Redis under prefixes of its own, removed again when it stops. */
async function startScaleOutServer(label: string): Promise<TestServer> {
  const run = randomUUID().slice(0, 8);
  const indexPrefix = `uspa-${label}-${run}-`;
  const keyPrefix = `uspa-${label}-${run}:`;
  const dir = mkdtempSync(join(tmpdir(), `uspa-${label}-config-`));
  const file = join(dir, 'uspa.json');
  writeFileSync(
    file,
    JSON.stringify({
      readModels: {
        adapter: 'opensearch-redis',
        opensearch: { url: OPENSEARCH_URL, indexPrefix },
        redis: { url: REDIS_URL, keyPrefix },
      },
    }),
  );
  const server = await startTestServer({ USPA_CONFIG_FILE: file });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await removeScaleOutReadModels({ indexPrefix, keyPrefix });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deletes the OpenSearch indices and Redis keys of a run under its own prefixes. */
export async function removeScaleOutReadModels({
  indexPrefix,
  keyPrefix,
}: {
  indexPrefix: string;
  keyPrefix: string;
}): Promise<void> {
  const client = new Client({ node: OPENSEARCH_URL });
  await client.indices.delete({ index: `${indexPrefix}*`, ignore_unavailable: true });
  await client.close();
  const redis = RedisKeyValueStore.connect(REDIS_URL, { keyPrefix });
  await redis.deletePrefix('');
  await redis.close();
}
