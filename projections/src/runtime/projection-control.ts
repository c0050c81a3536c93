import type { DeadLetter } from './dead-letters.js';
import type { ReplayReport } from './dead-letter-replayer.js';
import type { ProjectionStatus } from './projection-host.js';

/**
 * Operating a process's projections: status, blue/green rebuilds, dead letters, and waiting for
 * a position to be applied. A `ProjectionHost` offers it on its own thread; the serving process
 * offers the same for a host that runs on a thread of its own, so the admin API, the console and
 * the metrics do not care where projections run.
 */
export interface ProjectionControl {
  statuses(): Promise<ProjectionStatus[]>;
  /** Rejects with `UnknownProjectionError` for a name no projection has. */
  status(name: string): Promise<ProjectionStatus>;
  /** Starts a rebuild of `name` unless one runs already; returns the status right after. */
  rebuild(name: string): Promise<ProjectionStatus>;
  readonly deadLetters: {
    pending(projection: string): Promise<DeadLetter[]>;
    replay(projection: string): Promise<ReplayReport>;
  };
  /**
   * Resolves true once the serving generation of `name` has committed `position` (and settled
   * after it, when `settled`), false after `timeoutMs` or when no generation of it serves.
   */
  waitFor(
    name: string,
    position: number,
    timeoutMs?: number,
    options?: { settled?: boolean },
  ): Promise<boolean>;
  stop(): Promise<void>;
}
