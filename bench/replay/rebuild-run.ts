import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  ProjectionHost,
  profilesProjection,
  type ProjectionEventLog,
  type ReadModelStore,
} from '../../projections/src/index.js';

const quiet = { info() {}, warn() {}, error: (d: unknown, m: string) => console.error(m, d) };

export interface RebuildResult {
  events: number;
  /** Until the checkpoint reached the head of the log. */
  caughtUpMs: number;
  /** Until deferred search indexing was done too. */
  settledMs: number;
  /**
   * The longest the event loop was held at once, while catching up and while settling: what a
   * rebuild beside a live server would make its requests wait.
   */
  longestStepMs: { catchingUp: number; settling: number };
  /**
   * CPU time of this process (every thread) until settled: steadier than wall time on a shared
   * machine, and it counts what a writer thread does beside the event loop.
   */
  cpuMs: number;
}

/** Builds the identity + profile projection from position 0 into `store` and times it. */
export async function timeRebuild(
  log: ProjectionEventLog,
  store: ReadModelStore,
  batchSize: number,
  commitWindow = 0,
): Promise<RebuildResult> {
  const projection = profilesProjection();
  const [head] = await log.readAll({
    direction: 'backwards',
    maxCount: 1,
    filter: { eventTypes: projection.handles },
  });
  const host = new ProjectionHost(
    [projection],
    { log, store, logger: quiet },
    {
      batchSize,
      commitWindow,
      retry: { handlerAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
    },
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  loop.enable();
  await host.start();
  const runner = host.serving(projection.name)!;
  await runner.waitFor(head?.position ?? 0, 3_600_000);
  const caughtUpMs = performance.now() - started;
  const catchingUp = loop.max / 1e6;
  loop.reset();
  while (!runner.settled) await new Promise((resolve) => setTimeout(resolve, 5));
  const settledMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const settling = loop.max / 1e6;
  loop.disable();
  const events = runner.progress.processed;
  await host.stop();
  return {
    events,
    caughtUpMs,
    settledMs,
    longestStepMs: { catchingUp, settling },
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}
