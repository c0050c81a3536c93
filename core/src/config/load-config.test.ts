import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { loadConfig } from './load-config.js';

const aFile = (content: unknown): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'uspa-config-')), 'uspa.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('loadConfig', () => {
  it('fills every setting with its default on an empty environment', () => {
    const config = loadConfig({});
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8080,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
    });
    expect(config.enrichment.plugins).toEqual(['user-agent', 'geo', 'campaign', 'topics']);
    expect(config.dataDir).toBe('./data');
    expect(config.eventStore.adapter).toBe('sqlite');
    expect(config.eventStore.sqlite).toEqual({ synchronous: 'FULL', pollIntervalMs: 100 });
    expect(config.realtime).toEqual({ enabled: true });
    expect(config.segments).toEqual({ reevaluateIntervalMs: 60_000 });
  });

  it('reads the realtime and segment settings from the environment', () => {
    const config = loadConfig({
      USPA_REALTIME: 'false',
      USPA_IDENTITY_SECRET: 'a-secret-of-24-characters',
      USPA_REALTIME_REDIS_URL: 'redis://10.0.0.5:6379',
      USPA_SEGMENT_REEVALUATE_INTERVAL_MS: '250',
    });
    expect(config.realtime).toEqual({
      enabled: false,
      identitySecret: 'a-secret-of-24-characters',
      redisUrl: 'redis://10.0.0.5:6379',
    });
    expect(config.segments.reevaluateIntervalMs).toBe(250);
    expect(Object.isFrozen(config.realtime)).toBe(true);
  });

  it('never repeats a secret in an error about it', () => {
    expect(() => loadConfig({ USPA_IDENTITY_SECRET: 'tooshort' })).toThrow(
      new ConfigError(
        'Invalid configuration: realtime.identitySecret must NOT have fewer than 16 characters (from environment USPA_IDENTITY_SECRET)',
      ),
    );
  });

  it('lets the environment override the config file', () => {
    const file = aFile({ server: { port: 7000, host: '127.0.0.1' }, log: { level: 'warn' } });
    const config = loadConfig({ USPA_CONFIG_FILE: file, PORT: '7001' });
    expect(config.server).toMatchObject({ port: 7001, host: '127.0.0.1' });
    expect(config.log.level).toBe('warn');
  });

  it('returns a frozen configuration', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.eventStore.sqlite)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it.each([
    [
      { PORT: 'eighty' },
      'Invalid configuration: server.port must be integer (from environment PORT="eighty")',
    ],
    [
      { PORT: '70000' },
      'Invalid configuration: server.port must be <= 65535 (from environment PORT="70000")',
    ],
    [
      { USPA_SQLITE_SYNCHRONOUS: 'fast' },
      'Invalid configuration: eventStore.sqlite.synchronous must be one of FULL, NORMAL (from environment USPA_SQLITE_SYNCHRONOUS="fast")',
    ],
    [
      { USPA_DATA_DIRR: '/tmp' },
      'Invalid configuration: unknown setting USPA_DATA_DIRR (environment)',
    ],
    [
      { USPA_EVENT_STORE: 'eventstoredb' },
      'Invalid configuration: eventStore.eventstoredb.url is required when eventStore.adapter is eventstoredb (set EVENTSTORE_URL)',
    ],
    [
      { USPA_REALTIME: 'sometimes' },
      'Invalid configuration: realtime.enabled must be boolean (from environment USPA_REALTIME="sometimes")',
    ],
    [
      { USPA_REALTIME_REDIS_URL: 'http://127.0.0.1:6379' },
      'Invalid configuration: realtime.redisUrl must be a redis:// or rediss:// URL (from environment USPA_REALTIME_REDIS_URL="http://127.0.0.1:6379")',
    ],
    [
      { USPA_SEGMENT_REEVALUATE_INTERVAL_MS: '50' },
      'Invalid configuration: segments.reevaluateIntervalMs must be >= 100 (from environment USPA_SEGMENT_REEVALUATE_INTERVAL_MS="50")',
    ],
    [
      { EVENTSTORE_URL: 'http://localhost:2113' },
      'Invalid configuration: eventStore.eventstoredb.url must be an esdb:// or esdb+discover:// connection string (from environment EVENTSTORE_URL="http://localhost:2113")',
    ],
  ])('fails fast with one line naming the bad setting: %j', (environment, message) => {
    expect(() => loadConfig(environment)).toThrow(new ConfigError(message));
  });

  it('refuses an unknown key in the config file, naming the file', () => {
    const file = aFile({ eventStore: { sqlite: { synchronus: 'FULL' } } });
    expect(() => loadConfig({ USPA_CONFIG_FILE: file })).toThrow(
      `Invalid configuration: eventStore.sqlite.synchronus is not a known setting (from file ${file})`,
    );
  });

  it('refuses a config file that is not JSON', () => {
    const file = aFile('{ port: 1');
    expect(() => loadConfig({ USPA_CONFIG_FILE: file })).toThrow(/cannot read USPA_CONFIG_FILE=/);
  });
});
