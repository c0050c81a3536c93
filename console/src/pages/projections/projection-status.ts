/**
 * `GET /v1/admin/projections`: one entry per projection, with the generation that serves reads
 * and, during a blue/green rebuild, the one being built (see `ProjectionStatus` in
 * `projections/src/runtime/projection-host.ts`).
 */
export interface GenerationStatus {
  generation: number;
  version: number;
  state: 'starting' | 'running' | 'retrying' | 'stopped' | 'failed';
  checkpoint: number;
  lastEventRecordedAt?: string;
  processed: number;
  parked: number;
  eventsPerSecond: number;
  lastError?: string;
  lagEvents: number;
  lagSeconds: number;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  serving?: GenerationStatus;
  building?: GenerationStatus;
}

/**
 * How far a rebuild has come, from 0 to 1: the positions it has processed out of those it has
 * processed plus those still ahead of it. The log's positions are not contiguous, so this is an
 * estimate; it reaches 1 when the new generation has caught up.
 *
 * @example
 * rebuildProgress({ checkpoint: 750, lagEvents: 250, … }) // 0.75
 */
export function rebuildProgress(
  building: Pick<GenerationStatus, 'checkpoint' | 'lagEvents'>,
): number {
  const total = building.checkpoint + building.lagEvents;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, building.checkpoint / total));
}
