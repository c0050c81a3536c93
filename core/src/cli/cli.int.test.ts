import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../testing/run-cli.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'uspa-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const uspa = (args: string[], environment: Record<string, string> = {}): Promise<CliRun> =>
  runCli(args, { USPA_DATA_DIR: dataDir, ...environment });

const lines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  const store = new SqliteEventStore({
    file: join(dataDir, 'events.db'),
    synchronous: 'FULL',
    pollIntervalMs: 50,
  });
  await store.append('user-42', [
    { type: 'Identified', data: { traits: { email: 'ada@example.com' } } },
    { type: 'Tracked', data: { event: 'Order Completed', properties: { total: 42.5 } } },
  ]);
  await store.append('anon-7', [{ type: 'PageViewed', data: { name: 'Pricing' } }]);
  await store.close();
});

describe('uspa events', () => {
  it('reads a stream as NDJSON', async () => {
    const run = await uspa(['events', 'read', 'user-42']);
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    expect(events.map((e) => [e.type, e.revision, e.streamId])).toEqual([
      ['Identified', 0, 'user-42'],
      ['Tracked', 1, 'user-42'],
    ]);
    expect(events[1]?.data).toEqual({ event: 'Order Completed', properties: { total: 42.5 } });
  });

  it('reads backwards with a limit', async () => {
    const run = await uspa(['events', 'read', 'user-42', '--backwards', '--limit', '1']);
    expect(lines(run.stdout).map((e) => e.type)).toEqual(['Tracked']);
  });

  it('says so, with exit code 1, when the stream does not exist', async () => {
    const run = await uspa(['events', 'read', 'user-404']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('uspa: stream user-404 is not found\n');
  });

  it('tails the log from the start, filtered by type', async () => {
    const all = await uspa(['events', 'tail', '--from', 'start', '--limit', '3']);
    expect(lines(all.stdout).map((e) => e.type)).toEqual(['Identified', 'Tracked', 'PageViewed']);
    const pages = await uspa([
      'events',
      'tail',
      '--from',
      'start',
      '--type',
      'PageViewed',
      '--limit',
      '1',
    ]);
    expect(lines(pages.stdout).map((e) => e.streamId)).toEqual(['anon-7']);
  });

  it('prints statistics', async () => {
    const run = await uspa(['events', 'stats', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({
      events: 3,
      streams: 2,
      types: { Identified: 1, Tracked: 1, PageViewed: 1 },
    });
    const table = await uspa(['events', 'stats']);
    expect(table.stdout).toMatch(/^events +3$/m);
  });

  it('refuses a bad setting with one clear line', async () => {
    const run = await uspa(['events', 'stats'], { USPA_SQLITE_SYNCHRONOUS: 'fast' });
    expect(run.code).toBe(78);
    expect(run.stderr).toBe(
      'uspa: Invalid configuration: eventStore.sqlite.synchronous must be one of FULL, NORMAL (from environment USPA_SQLITE_SYNCHRONOUS="fast")\n',
    );
  });
});

describe('uspa serve', () => {
  it('serves, then stops gracefully on SIGTERM even with an idle keep-alive connection', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@uspa/source', '--import', 'tsx', main, 'serve'],
      {
        env: { PATH: process.env.PATH, USPA_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
      },
    );
    let stdout = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /"port":(\d+).*"msg":"USPA is serving"/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/health`, { keepalive: true });
    expect(response.status).toBe(200);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stdout).toContain('"msg":"stopped"');
  });
});
