import cliProgress from 'cli-progress';

/** What progress reporting can see of a running import. */
export interface ProgressSnapshot {
  /** Bytes of the file read so far (compressed bytes for `.gz`). */
  bytesRead: number;
  /** Size of the file on disk. */
  totalBytes: number;
  rowsRead: number;
  elapsedMs: number;
}

/** Shows a running import; it samples the snapshot on its own schedule. */
export interface ProgressReporter {
  start(snapshot: () => ProgressSnapshot): void;
  stop(): void;
}

/**
 * A bar on a terminal (rows/s and an ETA from the bytes read), a plain line every
 * `everyMs` elsewhere (a CI log, a file), nothing at all when `everyMs` is 0.
 *
 * @example
 * importFile(pipeline, { ...request, progress: progressFor(process.stderr) });
 */
export function progressFor(stream: NodeJS.WriteStream, everyMs = 10_000): ProgressReporter {
  if (stream.isTTY) return barProgress(stream);
  return everyMs > 0 ? lineProgress((text) => stream.write(text), everyMs) : silentProgress;
}

const silentProgress: ProgressReporter = { start: () => undefined, stop: () => undefined };

function barProgress(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'importing [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let timer: NodeJS.Timeout | undefined;
  let sample: (() => ProgressSnapshot) | undefined;
  const draw = (): void => {
    const now = sample?.();
    if (now) bar.update(now.bytesRead, { rows: format(now.rowsRead), rate: format(rate(now)) });
  };
  return {
    start(snapshot) {
      sample = snapshot;
      bar.start(Math.max(snapshot().totalBytes, 1), 0, { rows: '0', rate: '0' });
      timer = setInterval(draw, 200);
    },
    stop() {
      clearInterval(timer);
      draw();
      bar.stop();
    },
  };
}

function lineProgress(write: (text: string) => void, everyMs: number): ProgressReporter {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(snapshot) {
      timer = setInterval(() => write(progressLine(snapshot())), everyMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

/** One progress line: `import: 120,000 rows, 23% of the file, 41,000 rows/s, about 31 s left`. */
export function progressLine(now: ProgressSnapshot): string {
  const share = now.totalBytes > 0 ? now.bytesRead / now.totalBytes : 0;
  const left = share > 0 ? (now.elapsedMs * (1 - share)) / share / 1000 : undefined;
  const eta = left === undefined ? '' : `, about ${Math.ceil(left)} s left`;
  return `import: ${format(now.rowsRead)} rows, ${Math.floor(share * 100)}% of the file, ${format(rate(now))} rows/s${eta}\n`;
}

function rate(now: ProgressSnapshot): number {
  return now.elapsedMs > 0 ? Math.round((now.rowsRead * 1000) / now.elapsedMs) : 0;
}

function format(value: number): string {
  return value.toLocaleString('en-GB');
}
