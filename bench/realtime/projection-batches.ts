import type { ProjectionControl, RunnerProgress } from '../../projections/src/index.js';

export interface ProjectionBatches {
  /** Commits of batches of events (settling steps, which commit no event, are not counted). */
  commits: number;
  /** Events per committed batch: small while the projection keeps up, its batch size when not. */
  meanEvents: number;
  seconds: number;
}

/**
 * Watches the batches a projection commits, wherever it runs: how far behind the log it runs
 * shows in their size.
 *
 * @example
 * const watching = await watchBatches(host, 'profiles');
 * // … load …
 * const { commits, meanEvents } = await watching.stop();
 */
export async function watchBatches(
  host: ProjectionControl,
  name: string,
): Promise<{ stop(): Promise<ProjectionBatches> }> {
  const progress = async (): Promise<Pick<RunnerProgress, 'commits' | 'processed'>> =>
    (await host.status(name)).serving ?? { commits: 0, processed: 0 };
  const started = performance.now();
  const before = await progress();
  return {
    stop: async () => {
      const after = await progress();
      const commits = after.commits - before.commits;
      return {
        commits,
        meanEvents: commits > 0 ? (after.processed - before.processed) / commits : 0,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}
