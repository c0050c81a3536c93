import cliProgress from 'cli-progress';
import type { GenerationStatus, ProjectionHost } from '@uspa/projections';
import { pino, type Logger as PinoLogger } from 'pino';

const WARN = 40;

/** A logger for the command line: only warnings and errors reach the operator, on stderr. */
export function commandLineLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
): PinoLogger {
  const shown = Math.max(pino.levels.values[level] ?? WARN, WARN);
  return pino(
    { level: pino.levels.labels[shown] ?? 'warn', base: { service: 'uspa' } },
    destination,
  );
}

export interface RebuildOutput {
  /** Where progress goes: a bar on a terminal, a plain line every `everyMs` elsewhere. */
  progress: NodeJS.WriteStream;
  result: NodeJS.WritableStream;
  everyMs?: number;
}

/**
 * Rebuilds `name` blue/green on a started host and returns once the new generation serves and
 * the old one is dropped. Prints progress, then one result line.
 */
export async function rebuildWithProgress(
  host: ProjectionHost,
  name: string,
  output: RebuildOutput,
): Promise<void> {
  const started = Date.now();
  const status = await host.rebuild(name);
  const switched = host.awaitRebuild(name);
  const generation = status.building?.generation;
  if (generation === undefined) throw new Error(`${name} did not start rebuilding`);
  const show = progressFor(name, generation, output);
  let failed: ((error: Error) => void) | undefined;
  const runnerFailed = new Promise<never>((_, reject) => (failed = reject));
  const timer = setInterval(() => {
    void host.status(name).then(
      (now) => {
        if (!now.building) return;
        show.update(now.building);
        if (now.building.state === 'failed') {
          failed?.(new Error(`rebuild of ${name} failed: ${now.building.lastError ?? 'unknown'}`));
        }
      },
      () => undefined, // the log is briefly unreadable: the next tick tries again
    );
  }, show.everyMs);
  let serving: GenerationStatus | undefined;
  let seconds = 0;
  let rate = 0;
  try {
    await Promise.race([switched, runnerFailed]);
    seconds = (Date.now() - started) / 1000;
    serving = (await host.status(name)).serving;
    rate = seconds > 0 ? Math.round((serving?.processed ?? 0) / seconds) : 0;
    // The whole rebuild's rate: the runner's own is of its last seconds, settling included.
    if (serving) show.update(serving, rate);
  } finally {
    clearInterval(timer);
    show.stop();
  }
  output.result.write(
    `${name}: generation ${generation} serves, checkpoint ${serving?.checkpoint ?? 0}, ${format(serving?.processed ?? 0)} events in ${seconds.toFixed(1)} s (${format(rate)} events/s)\n`,
  );
}

interface Progress {
  everyMs: number;
  /** Shows `now`, with `rate` events/s instead of the runner's recent rate when given. */
  update(now: GenerationStatus, rate?: number): void;
  stop(): void;
}

function progressFor(name: string, generation: number, output: RebuildOutput): Progress {
  const stream = output.progress;
  if (!stream.isTTY) {
    stream.write(`rebuild ${name}: generation ${generation} started\n`);
    return {
      everyMs: output.everyMs ?? 5000,
      update: (now, rate) => stream.write(progressLine(name, now, rate)),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `rebuilding ${name} [{bar}] {percentage}% | {events} events | {rate} events/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { events: '0', rate: '0' });
  return {
    everyMs: 200,
    update(now, rate = now.eventsPerSecond) {
      bar.setTotal(Math.max(now.checkpoint + now.lagEvents, 1));
      bar.update(now.checkpoint, {
        events: format(now.processed),
        rate: format(Math.round(rate)),
      });
    },
    stop() {
      bar.update(bar.getTotal());
      bar.stop();
    },
  };
}

/** `rebuild profiles: 45% of the log, 12,000 events, 8,000 events/s`. */
function progressLine(name: string, now: GenerationStatus, rate = now.eventsPerSecond): string {
  const head = now.checkpoint + now.lagEvents;
  const share = head > 0 ? Math.floor((now.checkpoint / head) * 100) : 100;
  return `rebuild ${name}: ${share}% of the log, ${format(now.processed)} events, ${format(Math.round(rate))} events/s\n`;
}

function format(value: number): string {
  return value.toLocaleString('en-GB');
}
