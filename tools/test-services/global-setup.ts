/**
 * Vitest global setup: makes the real services of the integration tests answer, so `npm test`
 * alone runs every test on a machine with the tools installed.
 *
 * - Redis on 127.0.0.1:6379: started with `redis-server` when nothing answers and it is installed.
 * - OpenSearch on OPENSEARCH_URL (default 127.0.0.1:9200): started with the repo's launcher
 *   (tools/opensearch-node) when nothing answers and Java + Maven are installed.
 *
 * What this setup started, it stops afterwards. What it cannot start is reported; the tests that
 * need it then skip with the reason, or fail when CI=true. `USPA_TEST_SERVICES=off` disables it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../opensearch-node/run.mjs', import.meta.url));
const pidFile = fileURLToPath(new URL('../../.opensearch/node.pid', import.meta.url));
const stops: (() => void)[] = [];

export async function setup(): Promise<void> {
  if (process.env.USPA_TEST_SERVICES === 'off') return;
  await ensureRedis();
  await ensureOpenSearch();
}

export function teardown(): void {
  for (const stop of stops.reverse()) stop();
}

async function ensureRedis(): Promise<void> {
  if (await answers(6379)) return;
  if (!hasCommand('redis-server')) {
    console.warn('[services] Redis is not running on 6379 and redis-server is not installed');
    return;
  }
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--port',
    '6379',
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  for (let tries = 0; tries < 50 && !(await answers(6379)); tries++) await sleep(100);
  console.warn('[services] started redis-server on 127.0.0.1:6379 for the tests');
  stops.push(() => spawnSync('redis-cli', ['-p', '6379', 'shutdown', 'nosave']));
}

async function ensureOpenSearch(): Promise<void> {
  const url = new URL(process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200');
  const port = Number(url.port || 9200);
  if (await answers(port, url.hostname)) return;
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) return;
  if (!hasCommand('java') || !hasCommand('mvn')) {
    console.warn('[services] OpenSearch is not running and Java 17 + Maven are not installed');
    return;
  }
  if (launcherNodeAlive()) {
    // Another run started a node that is still coming up: wait for it, and leave it to its owner.
    spawnSync(process.execPath, [launcher, '--wait', '--port', String(port)], { stdio: 'inherit' });
    return;
  }
  console.warn(
    `[services] starting the OpenSearch dev node on port ${port} (first build downloads jars)`,
  );
  const started = spawnSync(process.execPath, [launcher, '--detach', '--port', String(port)], {
    stdio: 'inherit',
  });
  if (started.status !== 0) {
    console.warn('[services] the OpenSearch dev node did not start; see .opensearch/node.log');
    return;
  }
  stops.push(() => spawnSync(process.execPath, [launcher, '--stop'], { stdio: 'inherit' }));
}

/** A node started by the launcher elsewhere (its pid file names a live process). */
function launcherNodeAlive(): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
