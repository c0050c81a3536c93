import type { ProjectionRunner } from '../../projections/src/index.js';

export interface ProjectionBatches {
  commits: number;
  /** Events per committed batch: small while the projection keeps up, its batch size when not. */
  meanEvents: number;
  maxEvents: number;
  seconds: number;
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
  let processed = runner.progress.processed;
  const off = runner.onCommit(() => {
    const now = runner.progress.processed;
    sizes.push(now - processed);
    processed = now;
  });
  return {
    stop: () => {
      off();
      const events = sizes.reduce((sum, size) => sum + size, 0);
      return {
        commits: sizes.length,
        meanEvents: sizes.length > 0 ? events / sizes.length : 0,
        maxEvents: Math.max(0, ...sizes),
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}
