import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../../core/src/adapters/sqlite/sqlite-event-store.js';
import { loadConfig } from '../../core/src/config/load-config.js';
import { PROFILES_HANDLES } from '../../projections/src/index.js';
import type { Row } from '../table.js';
import { timeLogRead } from './log-read-run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'core/src/cli/main.ts');
const preload = join(root, 'bench/replay/report-peak-rss.mjs');

interface Measured {
  seconds: number;
  peakRssMb: number;
  output: string;
}

/** Runs `uspa <args>` from its sources in its own process; returns its time and peak RSS. */
function uspa(args: string[], dataDir: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        // As the `uspa` command runs (the flags of core/bin/uspa.js).
        '--max-semi-space-size=64',
        '--conditions=@uspa/source',
        '--import',
        'tsx',
        '--import',
        preload,
        cli,
        ...args,
      ],
      { env: { PATH: process.env.PATH, USPA_DATA_DIR: dataDir, USPA_LOG_LEVEL: 'warn' } },
    );
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const peak = /peak-rss-kb (\d+)/.exec(errors);
      if (code !== 0 || !peak) {
        reject(new Error(`uspa ${args.join(' ')} exited with ${code}: ${errors.slice(-2000)}`));
        return;
      }
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssMb: Math.round(Number(peak[1]) / 1024),
        output,
      });
    });
  });
}

/** Imports the whole Online Retail file, then rebuilds every projection over it. */
export async function importAndReplayOnlineRetail(dataset: string, work: string): Promise<Row[]> {
  const dataDir = join(work, 'online-retail');
  const mapping = join(root, 'core/fixtures/online-retail/mapping.json');
  const imported = await uspa(
    [
      'import',
      dataset,
      '--mapping',
      mapping,
      '--json',
      '--no-progress',
      '--rejected',
      join(work, 'rejected.ndjson'),
    ],
    dataDir,
  );
  const summary = JSON.parse(imported.output) as { stored?: number; accepted?: number };
  const replayed = await uspa(['replay'], dataDir);
  const log = new SqliteEventStore({
    file: join(dataDir, 'events.db'),
    synchronous: 'NORMAL',
    pollIntervalMs: 100,
  });
  // As `uspa replay` reads it: in batches of the configuration's default size.
  const { batchSize } = loadConfig({}).projections;
  const read = await timeLogRead(log, PROFILES_HANDLES, batchSize).finally(() => log.close());
  return [
    {
      step: 'uspa import',
      seconds: Number(imported.seconds.toFixed(1)),
      'peak RSS MB': imported.peakRssMb,
      events: summary.stored ?? summary.accepted ?? 0,
    },
    {
      step: 'uspa replay',
      seconds: Number(replayed.seconds.toFixed(1)),
      'peak RSS MB': replayed.peakRssMb,
      ...rebuildRate(replayed.output),
    },
    {
      step: 'its log read alone, in this process',
      seconds: Number((read.ms / 1000).toFixed(2)),
      events: read.events,
      'ev/s': Math.round(read.events / (read.ms / 1000)),
    },
  ];
}

/** `profiles: generation 2 serves, checkpoint 9, 24,561 events in 3.1 s (7,923 events/s)`. */
function rebuildRate(output: string): Row {
  const match = /([\d,]+) events in [\d.]+ s \(([\d,]+) events\/s\)/.exec(output);
  if (!match) return {};
  const number = (digits: string) => Number(digits.replaceAll(',', ''));
  return { events: number(match[1]!), 'ev/s': number(match[2]!) };
}
