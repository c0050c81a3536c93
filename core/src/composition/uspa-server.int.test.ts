import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { startUspaServer, type UspaServer } from './uspa-server.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-server-'));
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
let server: UspaServer;
let base: string;

beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: dir,
    USPA_DEMO: 'false',
  });
  server = await startUspaServer(config, { logDestination: silent });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('uspa serve', () => {
  it('says what it is at /', async () => {
    const response = await fetch(`${base}/`);
    expect(await response.json()).toMatchObject({ name: 'USPA', version: '0.1.0' });
  });

  it('answers /health', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('is ready when the event store and the read models answer', async () => {
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { eventStore: 'ok', readModels: 'ok' },
    });
  });

  it('exposes Prometheus metrics, including appends to the event store', async () => {
    const store = server.container.resolve<EventStore>(EVENT_STORE);
    const appended = async (): Promise<number> => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return Number(/^uspa_events_appended_total (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    // The start itself appends (the built-in plugins' installation on a fresh store).
    const before = await appended();
    await store.append('user-metrics', [
      { type: 'Tracked', data: { event: 'Signed Up' } },
      { type: 'Tracked', data: { event: 'Logged In' } },
    ]);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^uspa_events_appended_total \d+$/m);
    expect(await appended()).toBe(before + 2);
    expect(text).toMatch(/^uspa_event_append_duration_seconds_count \d+$/m);
    expect(text).toContain('uspa_process_resident_memory_bytes');
  });

  it('answers an unknown route with a problem document', async () => {
    const response = await fetch(`${base}/v1/nothing-here`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: 'urn:uspa:problem:not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: 'No route for POST /v1/nothing-here',
    });
  });

  it('reports not ready with 503 once the store is gone', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', USPA_DATA_DIR: join(dir, 'b') });
    const other = await startUspaServer(config, { logDestination: silent });
    await other.container.resolve<EventStore>(EVENT_STORE).close();
    const response = await fetch(`http://127.0.0.1:${other.port}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      code: 'not_ready',
      checks: { eventStore: 'Store is closed' },
    });
    await other.stop();
  });
});
