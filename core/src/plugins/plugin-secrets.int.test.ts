/* eslint-disable @typescript-eslint/no-unsafe-member-access -- API answers are read as loose JSON */
/**
 * Plugin secrets at rest: sealed in the log under the operator's secret key, opened for the
 * plugin by a process with that key, and refused with a reason by a process with another.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminApi } from '../testing/admin-api.js';
import { eventually } from '../testing/eventually.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

const SECRET = 'whsec_sealed_0123456789';
const KEY_A = 'plugin-secret-key-a-0123456789abcdef';
const KEY_B = 'plugin-secret-key-b-0123456789abcdef';

const dataDir = mkdtempSync(join(tmpdir(), 'uspa-plugin-secrets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const api = (uspa: TestServer, method: string, path: string, body?: unknown) =>
  adminApi(uspa)(method, path, body);

async function withServer<T>(key: string | undefined, work: (uspa: TestServer) => Promise<T>) {
  const uspa = await startTestServer({
    USPA_DATA_DIR: dataDir,
    ...(key === undefined ? {} : { USPA_PLUGIN_SECRET_KEY: key }),
  });
  try {
    return await work(uspa);
  } finally {
    await uspa.stop();
  }
}

describe('plugin secrets at rest', () => {
  it('seals them in the log and opens them only with the key they were sealed with', async () => {
    await withServer(KEY_A, async (uspa) => {
      expect(
        (await api(uspa, 'POST', '/v1/admin/plugins', { source: 'builtin', name: 'webhook' }))
          .status,
      ).toBe(201);
      const configured = await api(uspa, 'PUT', '/v1/admin/plugins/webhook/config', {
        url: 'https://hooks.example.com/uspa',
        secret: SECRET,
      });
      expect(configured.status).toBe(200);
      const enabled = await api(uspa, 'POST', '/v1/admin/plugins/webhook/enable');
      expect(enabled.body).toMatchObject({ enabled: true, status: 'running' });
      const { events } = await uspa.store.readStream('plugin-webhook');
      expect(JSON.stringify(events.map((event) => event.data))).not.toContain(SECRET);
    });
    // The log's files themselves never hold the secret either.
    const logFiles = readdirSync(dataDir).filter((name) => name.startsWith('events.db'));
    expect(logFiles).toContain('events.db');
    for (const name of logFiles) {
      expect(readFileSync(join(dataDir, name)).includes(SECRET)).toBe(false);
    }

    await withServer(KEY_B, async (uspa) => {
      const plugin = await eventually(
        async () => (await api(uspa, 'GET', '/v1/admin/plugins/webhook')).body,
        (body) => body.faultCount >= 1,
      );
      expect(plugin.running).toBe(false);
      expect(plugin.configProblem).toMatch(
        /cannot open \(\/secret: the secret was sealed with key \w{8}, and this process has key \w{8}\)/,
      );
      expect(plugin.faults[0].hook).toBe('setup');
      expect(plugin.faults[0].message).toContain('cannot open');
    });

    await withServer(KEY_A, async (uspa) => {
      const plugin = await eventually(
        async () => (await api(uspa, 'GET', '/v1/admin/plugins/webhook')).body,
        (body) => body.running === true,
      );
      expect(plugin.configProblem).toBeUndefined();
      expect(plugin.config.secret).toBe('••••••••');
    });
  }, 60_000);

  it('keeps a key of its own in the data directory when none is configured', async () => {
    const own = mkdtempSync(join(tmpdir(), 'uspa-plugin-key-'));
    try {
      const uspa = await startTestServer({ USPA_DATA_DIR: own });
      await uspa.stop();
      const file = join(own, 'plugin-secret-key');
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^[\w-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
