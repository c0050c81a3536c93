/**
 * Realtime fan-out across processes through a real Redis: two gateway processes, each with its
 * own feed; a visitor connected to one gets what the other process's feed reported, once.
 * Skips when Redis is down, fails when it is down and CI=true.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { requireService } from '../testing/services.js';
import type { ProfileChange } from './personalization.port.js';
import { attachRealtimeGateway } from './realtime-gateway.js';
import {
  heroAll,
  heroVip,
  KeyRing,
  PlainPersonalization,
  slotOf,
  type PlainRule,
} from './plain-personalization.fixture.js';
import { VisitorClient } from './visitor-client.fixture.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const probe = new Redis(url, {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: () => null,
  connectTimeout: 2000,
});
const redis = await requireService(`Redis at ${url}`, async () => {
  await probe.connect();
  await probe.ping();
});
afterAll(() => probe.disconnect());

const script = fileURLToPath(new URL('./gateway-process.fixture.ts', import.meta.url));
const banner: PlainRule = {
  ruleId: 'r-banner',
  slot: 'banner',
  content: { text: 'Free delivery' },
};

/** A gateway process, driven through its stdin. */
interface GatewayProcess {
  base: string;
  send(command: object): Promise<void>;
  stop(): Promise<void>;
}

async function startProcess(dataDir: string, channelPrefix: string): Promise<GatewayProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      '--conditions=@uspa/source',
      '--import',
      'tsx',
      script,
      dataDir,
      channelPrefix,
      JSON.stringify([heroVip, heroAll]),
    ],
    { env: { ...process.env, REDIS_URL: url } },
  );
  child.stderr.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('the gateway process ended');
    return line.value;
  };
  const port = /^ready (\d+)$/.exec(await nextLine())?.[1];
  if (!port) throw new Error('the gateway process did not start');
  return {
    base: `http://127.0.0.1:${port}`,
    send: async (command) => {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      expect(await nextLine()).toBe('done');
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

describe.skipIf(!redis.available)('realtime fan-out across processes (real Redis)', () => {
  it('delivers a change reported in process A to a visitor of process B, and once to A', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'uspa-fan-out-'));
    const ring = new KeyRing(dataDir);
    const { secret: writeKey } = await ring.create({ type: 'write' });
    const channelPrefix = `uspa-test:${randomUUID()}:realtime`;
    const [a, b] = await Promise.all([
      startProcess(dataDir, channelPrefix),
      startProcess(dataDir, channelPrefix),
    ]);
    const onA = new VisitorClient(a.base, { writeKey, anonymousId: 'v-a' });
    const onB = new VisitorClient(b.base, { writeKey, anonymousId: 'v-b' });
    try {
      for (const client of [onA, onB]) {
        expect(await client.next()).toEqual({
          event: 'snapshot',
          payload: { segments: [], content: { hero: slotOf(heroAll) } },
        });
      }

      const change: ProfileChange = {
        profileId: 'p-b',
        identifiers: ['anonymous_id:v-b'],
        segments: ['vip'],
        mergedFrom: [],
      };
      await a.send({ profileChange: change });
      expect(await onB.next()).toEqual({
        event: 'changed',
        payload: { segments: ['vip'], content: { hero: slotOf(heroVip) } },
      });

      // A's own visitor: each change once, in order. A change coming back to A through Redis
      // would re-apply `vip` and show up before the rule change below.
      const profileA = { profileId: 'p-a', identifiers: ['anonymous_id:v-a'], mergedFrom: [] };
      await a.send({ profileChange: { ...profileA, segments: ['vip'] } });
      await a.send({ profileChange: { ...profileA, segments: ['gold'] } });
      expect((await onA.next()).payload).toEqual({
        segments: ['vip'],
        content: { hero: slotOf(heroVip) },
      });
      expect((await onA.next()).payload).toEqual({
        segments: ['gold'],
        content: { hero: slotOf(heroAll) },
      });

      // A rule change announced in A makes B recompute with B's rules.
      await b.send({ rules: [heroVip, heroAll, banner], announce: false });
      await a.send({ rules: [heroVip, heroAll, banner], announce: true });
      expect((await onB.next()).payload).toEqual({ content: { banner: slotOf(banner) } });
      expect((await onA.next()).payload).toEqual({ content: { banner: slotOf(banner) } });
    } finally {
      onA.close();
      onB.close();
      await Promise.all([a.stop(), b.stop()]);
      await ring.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('realtime fan-out without Redis', () => {
  it('refuses to start, naming the URL without its password, when Redis cannot be reached', async () => {
    const source = new PlainPersonalization();
    const http = createServer();
    const deps = {
      keys: new ApiKeyDirectory(),
      source,
      feed: source,
      logger: pino({ level: 'silent' }),
    };
    const redisUrl = 'redis://:hunter2@127.0.0.1:1';
    await expect(
      attachRealtimeGateway(http, deps, { redis: { url: redisUrl, channelPrefix: 'x' } }),
    ).rejects.toThrow('Cannot reach Redis for realtime fan-out at redis://:***@127.0.0.1:1');
    expect(http.listeners('request')).toEqual([]);
  });
});
