import { Client } from '@opensearch-project/opensearch';
import {
  OpenSearchDocumentStore,
  RedisKeyValueStore,
  ScaleOutReadModelStore,
  SqliteEventStore,
  SqliteReadModelStore,
  type EventStore,
} from '@uspa/core';
import { OPENSEARCH_URL, REDIS_URL, requireScaleOutReadSide } from '@uspa/core/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadModelStore } from '../ports/read-model-store.port.js';

export interface OpenReadSide {
  log: EventStore;
  store: ReadModelStore;
  cleanup(): Promise<void>;
}

export interface ReadSideFixture {
  name: string;
  available: boolean;
  open(): Promise<OpenReadSide>;
}

const opensearchUrl = OPENSEARCH_URL;
const redisUrl = REDIS_URL;

/**
 * The read sides projection specs run on: embedded (SQLite) always; OpenSearch + Redis when both
 * answer (on CI they must). The event log is the embedded store in both: it is not under test.
 */
export async function readSideFixtures(): Promise<ReadSideFixture[]> {
  const scaleOut = await requireScaleOutReadSide();
  return [
    { name: 'embedded', available: true, open: () => openEmbedded() },
    { name: 'OpenSearch + Redis', available: scaleOut.available, open: () => openScaleOut() },
  ];
}

function temporaryLog(): { log: EventStore; directory: string } {
  const directory = mkdtempSync(join(tmpdir(), 'uspa-read-side-'));
  return {
    log: new SqliteEventStore({
      file: join(directory, 'events.sqlite'),
      synchronous: 'NORMAL',
      pollIntervalMs: 20,
    }),
    directory,
  };
}

async function openEmbedded(): Promise<OpenReadSide> {
  const { log, directory } = temporaryLog();
  const store = SqliteReadModelStore.open(join(directory, 'read-models.sqlite'));
  return {
    log,
    store,
    async cleanup() {
      await store.close();
      await log.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function openScaleOut(): Promise<OpenReadSide> {
  const { log, directory } = temporaryLog();
  const run = randomUUID().slice(0, 8);
  const client = new Client({ node: opensearchUrl, requestTimeout: 30_000 });
  const documents = new OpenSearchDocumentStore(client, { indexPrefix: `uspa-spec-${run}-` });
  const keyValues = RedisKeyValueStore.connect(redisUrl, { keyPrefix: `uspa-spec-${run}:` });
  const store = new ScaleOutReadModelStore(documents, keyValues);
  return {
    log,
    store,
    async cleanup() {
      for (const collection of await documents.listCollections('')) {
        await documents.dropCollection(collection);
      }
      await keyValues.deletePrefix('');
      await store.close();
      await client.close();
      await log.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
