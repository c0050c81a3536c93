import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startUspaServer, type UspaServer } from '../composition/uspa-server.js';
import { loadConfig } from '../config/load-config.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';

export const TEST_WRITE_KEY = 'uspa_wk_test_write_key_0123456789';
export const TEST_ADMIN_KEY = 'uspa_sk_test_admin_key_0123456789';

export interface TestServer {
  server: UspaServer;
  base: string;
  store: EventStore;
  /** Basic auth header of the bootstrap write key, as Segment libraries send it. */
  writeAuth: string;
  adminAuth: string;
  stop(): Promise<void>;
}

/**
 * A real USPA server on a free port with a fresh embedded store and bootstrap keys, for
 * integration tests.
 *
 * @example
 * const uspa = await startTestServer();
 * await fetch(`${uspa.base}/v1/track`, { method: 'POST', headers: { authorization: uspa.writeAuth } });
 */
export async function startTestServer(
  environment: Record<string, string> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'uspa-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    USPA_DATA_DIR: dataDir,
    USPA_LOG_LEVEL: 'warn',
    USPA_BOOTSTRAP_WRITE_KEY: TEST_WRITE_KEY,
    USPA_BOOTSTRAP_ADMIN_KEY: TEST_ADMIN_KEY,
    // The demo seeds events of its own; tests that want it turn it on.
    USPA_DEMO: 'false',
    ...environment,
  });
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const server = await startUspaServer(config, { logDestination: silent });
  return {
    server,
    base: `http://127.0.0.1:${server.port}`,
    store: server.container.resolve<EventStore>(EVENT_STORE),
    writeAuth: `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`,
    adminAuth: `Bearer ${TEST_ADMIN_KEY}`,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
