import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../testing/run-cli.js';
import { startUspaServer } from '../composition/uspa-server.js';
import { loadConfig } from '../config/load-config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'uspa-keys-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const uspa = (args: string[]): Promise<CliRun> => runCli(args, { USPA_DATA_DIR: dataDir });

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('uspa keys', () => {
  it('creates a write key a running server accepts, and revokes it from another process', async () => {
    const server = await startUspaServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', USPA_DATA_DIR: dataDir }),
      { logDestination: silent },
    );
    const track = (secret: string) =>
      fetch(`http://127.0.0.1:${server.port}/v1/track`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
        },
        body: JSON.stringify({ userId: 'cli-1', event: 'Signed Up' }),
      });
    const created = await uspa(['keys', 'create', '--type', 'write', '--name', 'shop', '--json']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; name: string };
    expect(key).toMatchObject({ name: 'shop', type: 'write' });

    const waitFor = async (status: number) => {
      for (let tries = 0; tries < 50; tries++) {
        if ((await track(key.key)).status === status) return status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return (await track(key.key)).status;
    };
    expect(await waitFor(200)).toBe(200);

    const listed = await uspa(['keys', 'list']);
    expect(listed.stdout).toContain(`"id":"${key.id}"`);
    expect(listed.stdout).not.toContain(key.key);

    expect((await uspa(['keys', 'revoke', key.id])).code).toBe(0);
    expect(await waitFor(401)).toBe(401);
    await server.stop();
  }, 60_000);

  it('refuses an unknown scope', async () => {
    const run = await uspa(['keys', 'create', '--type', 'secret', '--scopes', 'root']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown scope root');
  });
});
