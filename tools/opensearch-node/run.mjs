#!/usr/bin/env node
// Starts a real single-node OpenSearch 2.19 for USPA development and tests, from Maven Central jars
// (see README.md next to this file). Plain Node ESM, no dependencies.
//
//   node tools/opensearch-node/run.mjs [--port N] [--data DIR] [--heap 512m]   foreground, Ctrl-C stops
//   node tools/opensearch-node/run.mjs --detach                                background, waits for health
//   node tools/opensearch-node/run.mjs --wait                                  only wait until healthy
//   node tools/opensearch-node/run.mjs --stop                                  stop the detached node
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const STATE_DIR = path.join(REPO_ROOT, '.opensearch');
const PID_FILE = path.join(STATE_DIR, 'node.pid');
const LOG_FILE = path.join(STATE_DIR, 'node.log');
const CLASSES_DIR = path.join(HERE, 'target', 'classes');
const CP_FILE = path.join(HERE, 'cp.txt');
const MAIN_CLASS = 'io.uspa.opensearch.DevNode';
const JVM_FLAGS = [
  '-Dfile.encoding=UTF-8',
  '-Djava.awt.headless=true',
  '-Dio.netty.noUnsafe=true',
  '-Dio.netty.recycler.maxCapacityPerThread=0',
  '-Dlog4j2.disable.jmx=true',
];

const USAGE = `Usage: node tools/opensearch-node/run.mjs [options]
  --port N        HTTP port (default: $OPENSEARCH_PORT or 9200)
  --data DIR      data directory to keep between runs (default: fresh temporary directory)
  --heap SIZE     JVM heap, e.g. 512m or 1g (default: 512m)
  --detach        start in the background (pid: .opensearch/node.pid, log: .opensearch/node.log)
                  and exit once the cluster is yellow/green
  --wait          do not start anything; wait until the node on --port is healthy
  --stop          stop the node started with --detach
  --timeout SEC   how long --detach / --wait wait for health (default: 180)`;

function fail(message) {
  console.error(`opensearch-node: ${message}`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      heap: { type: 'string', default: '512m' },
      detach: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      stop: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '180' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`${e.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(args.port ?? process.env.OPENSEARCH_PORT ?? 9200);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  fail(`invalid port: ${args.port ?? process.env.OPENSEARCH_PORT}`);
if (!/^\d+[kKmMgG]$/.test(args.heap))
  fail(`invalid heap size: ${args.heap} (expected e.g. 512m or 1g)`);
const timeoutSec = Number(args.timeout);
if (!(timeoutSec > 0)) fail(`invalid timeout: ${args.timeout}`);
const baseUrl = `http://127.0.0.1:${port}`;

if (args.stop) await stop();
else if (args.wait) process.exit((await waitHealthy(timeoutSec * 1000)) ? 0 : reportTimeout());
else if (args.detach) await detach();
else foreground();

// ---------------------------------------------------------------------------------------------

/** True when the cluster on `port` answers and is yellow or green. */
async function isHealthy(waitSeconds = 1) {
  try {
    const res = await fetch(
      `${baseUrl}/_cluster/health?wait_for_status=yellow&timeout=${waitSeconds}s`,
      {
        signal: AbortSignal.timeout((waitSeconds + 5) * 1000),
      },
    );
    if (!res.ok) return false;
    const body = await res.json();
    return !body.timed_out && (body.status === 'green' || body.status === 'yellow');
  } catch {
    return false;
  }
}

async function waitHealthy(timeoutMs, isDead = () => false) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) return false;
    if (await isHealthy(1)) return true;
    await sleep(500);
  }
  return false;
}

function reportTimeout() {
  console.error(
    `opensearch-node: OpenSearch at ${baseUrl} did not become healthy (yellow/green) within ${timeoutSec}s`,
  );
  return 1;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function newestMtime(dir) {
  let newest = -1;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, mtime(path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return newest;
}

/** Compiles the launcher and writes cp.txt, unless both are newer than pom.xml and src/. */
function ensureBuilt() {
  const built = Math.min(mtime(CP_FILE), mtime(CLASSES_DIR));
  const sources = Math.max(mtime(path.join(HERE, 'pom.xml')), newestMtime(path.join(HERE, 'src')));
  const jarsPresent =
    built > 0 &&
    fs
      .readFileSync(CP_FILE, 'utf8')
      .trim()
      .split(path.delimiter)
      .every((jar) => jar !== '' && fs.existsSync(jar));
  if (built > sources && jarsPresent) return;

  console.error(
    built < 0
      ? 'opensearch-node: first build: Maven downloads OpenSearch jars (~100+ MB) into ~/.m2 ...'
      : 'opensearch-node: rebuilding the launcher ...',
  );
  const started = Date.now();
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      'compile',
      'dependency:build-classpath',
      `-Dmdep.outputFile=${CP_FILE}`,
    ],
    // Quiet Maven still prints stray ANSI resets: keep its output for when the build fails.
    { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (mvn.error)
    fail(`cannot run Maven (mvn): ${mvn.error.message}. Install Maven 3.8+ and Java 17.`);
  if (mvn.status !== 0) {
    process.stderr.write(`${mvn.stdout}${mvn.stderr}`);
    fail(`Maven build failed (exit ${mvn.status})`);
  }
  // Maven may leave untouched outputs with old timestamps; mark them as fresh so we skip next time.
  const now = new Date();
  fs.utimesSync(CP_FILE, now, now);
  fs.utimesSync(CLASSES_DIR, now, now);
  console.error(`opensearch-node: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function javaCommand() {
  const javaHome = process.env.JAVA_HOME;
  const java = javaHome ? path.join(javaHome, 'bin', 'java') : 'java';
  const classpath = [CLASSES_DIR, fs.readFileSync(CP_FILE, 'utf8').trim()].join(path.delimiter);
  const argv = [
    `-Xms${args.heap}`,
    `-Xmx${args.heap}`,
    ...JVM_FLAGS,
    '-cp',
    classpath,
    MAIN_CLASS,
    '--port',
    String(port),
  ];
  if (args.data) argv.push('--data', path.resolve(args.data));
  return [java, argv];
}

function foreground() {
  ensureBuilt();
  const [java, argv] = javaCommand();
  const child = spawn(java, argv, { stdio: 'inherit' });
  child.on('error', (e) => fail(`cannot run ${java}: ${e.message} (Java 17 is required)`));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1));
  });
}

/** The pid in .opensearch/node.pid if that process is alive and is our launcher, else null. */
function runningPid() {
  let pid;
  try {
    pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  try {
    // Guard against a recycled pid (Linux): it must still be our java process.
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MAIN_CLASS)) return null;
  } catch {
    // no /proc (macOS): trust the pid file
  }
  return pid;
}

/** The --port a running launcher was started with, from /proc (Linux); null when unknown. */
function portOf(pid) {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = argv.indexOf('--port');
    return i >= 0 ? Number(argv[i + 1]) : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function tailLog(lines = 30) {
  try {
    return fs.readFileSync(LOG_FILE, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The launcher's one-line "failed to start" message from the log, if any. */
function startFailure() {
  try {
    const line = fs
      .readFileSync(LOG_FILE, 'utf8')
      .split('\n')
      .find((l) => l.includes('failed to start:'));
    return line ? `opensearch-node: ${line}` : '';
  } catch {
    return '';
  }
}

async function detach() {
  if (await isHealthy(1)) {
    console.log(
      `opensearch-node: OpenSearch is already running and healthy at ${baseUrl}; not starting another.`,
    );
    process.exit(0);
  }
  const existing = runningPid();
  const existingPort = existing ? portOf(existing) : null;
  if (existing && existingPort !== null && existingPort !== port) {
    fail(
      `a detached node (pid ${existing}) is already running on port ${existingPort}; stop it first with --stop`,
    );
  }
  if (existing) {
    console.log(
      `opensearch-node: node already started (pid ${existing}); waiting for it to become healthy ...`,
    );
    process.exit(
      (await waitHealthy(timeoutSec * 1000, () => !isAlive(existing))) ? 0 : reportTimeout(),
    );
  }

  ensureBuilt();
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const log = fs.openSync(LOG_FILE, 'w');
  const [java, argv] = javaCommand();
  const started = Date.now();
  const child = spawn(java, argv, { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => fail(`cannot run ${java}: ${e.message} (Java 17 is required)`));
  child.unref();
  fs.writeFileSync(PID_FILE, `${child.pid}\n`);
  console.log(
    `opensearch-node: started pid ${child.pid} on ${baseUrl} (log: ${path.relative(process.cwd(), LOG_FILE)}); waiting for health ...`,
  );

  if (await waitHealthy(timeoutSec * 1000, () => exited !== null)) {
    console.log(
      `opensearch-node: OpenSearch is healthy at ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    process.exit(0);
  }
  if (exited) {
    console.error(
      `opensearch-node: OpenSearch exited during startup (code ${exited.code ?? exited.signal}). Last log lines:\n${tailLog()}\n${startFailure()}`,
    );
  } else {
    reportTimeout();
    console.error(`Last log lines:\n${tailLog()}\nopensearch-node: stopping pid ${child.pid}`);
    await killAndWait(child.pid);
  }
  fs.rmSync(PID_FILE, { force: true });
  process.exit(1);
}

async function killAndWait(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      console.error(`opensearch-node: pid ${pid} did not stop within 60s; sending SIGKILL`);
      process.kill(pid, 'SIGKILL');
      await sleep(1000);
      return !isAlive(pid);
    }
    await sleep(200);
  }
  return true;
}

async function stop() {
  const pid = runningPid();
  if (!pid) {
    const stale = fs.existsSync(PID_FILE);
    fs.rmSync(PID_FILE, { force: true });
    console.log(
      `opensearch-node: no detached node is running${stale ? ' (removed a stale pid file)' : ''}.`,
    );
    if (await isHealthy(1))
      console.log(`opensearch-node: note: something else still answers at ${baseUrl}.`);
    process.exit(0);
  }
  console.log(`opensearch-node: stopping pid ${pid} ...`);
  const stopped = await killAndWait(pid);
  fs.rmSync(PID_FILE, { force: true });
  if (!stopped) fail(`pid ${pid} is still running`);
  console.log('opensearch-node: stopped.');
  process.exit(0);
}
