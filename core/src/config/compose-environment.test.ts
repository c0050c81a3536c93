import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './load-config.js';

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; healthcheck?: unknown }>;
}

const compose = parse(
  readFileSync(fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url)), 'utf8'),
) as ComposeFile;

describe('docker-compose.yml', () => {
  it('gives every service a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'eventstore',
      'opensearch',
      'redis',
      'uspa',
    ]);
    for (const service of Object.values(compose.services))
      expect(service.healthcheck).toBeDefined();
  });

  it('configures USPA with settings the config loader accepts, on EventStoreDB, OpenSearch and Redis', () => {
    const config = loadConfig(compose.services.uspa?.environment ?? {});
    expect(config.eventStore).toMatchObject({
      adapter: 'eventstoredb',
      eventstoredb: { url: 'esdb://eventstore:2113?tls=false' },
    });
    expect(config.readModels).toMatchObject({
      adapter: 'opensearch-redis',
      opensearch: { url: 'http://opensearch:9200' },
      redis: { url: 'redis://redis:6379' },
    });
  });
});
