import type { ProjectionRunner } from '../../projections/src/index.js';
import { percentile } from '../table.js';

export interface ProjectionBatches {
  /** Commits of batches of events (settling steps, which commit no event, are not counted). */
  commits: number;
  /** Events per committed batch: small while the projection keeps up, its batch size when not. */
  meanEvents: number;
  maxEvents: number;
  seconds: number;
  /**
   * Per commit, from its newest event being recorded in the log to the commit (ms, median and
   * p99): how long the projection itself holds changes back, before any push is sent.
   */
  recordedToCommit: { p50: number; p99: number };
}

/**
 * Watches the batches a projection commits: how far behind the log it runs shows in their size.
 *
 * @example
 * const watching = watchBatches(host.serving('profiles')!);
 * // … load …
 * const { commits, meanEvents } = watching.stop();
 */
export function watchBatches(runner: ProjectionRunner): { stop(): ProjectionBatches } {
  const started = performance.now();
  const sizes: number[] = [];
  const delays: number[] = [];
  let processed = runner.progress.processed;
  const off = runner.onCommit(() => {
    const { processed: now, lastEventRecordedAt } = runner.progress;
    if (now === processed) return; // a settling step: no event of its own
    sizes.push(now - processed);
    processed = now;
    if (lastEventRecordedAt) delays.push(Date.now() - lastEventRecordedAt.getTime());
  });
  return {
    stop: () => {
      off();
      const sorted = delays.sort((a, b) => a - b);
      const events = sizes.reduce((sum, size) => sum + size, 0);
      return {
        commits: sizes.length,
        meanEvents: sizes.length > 0 ? events / sizes.length : 0,
        maxEvents: Math.max(0, ...sizes),
        seconds: (performance.now() - started) / 1000,
        recordedToCommit: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      };
    },
  };
}
