import {
  ProjectionGenerations,
  projectionStorage,
  type GenerationRef,
  type Projection,
  type ReadModelStore,
} from '@uspa/projections';
import type { EventStore } from '../ports/event-store.port.js';

/** One generation as stored: where its checkpoint stands and how far the log is ahead of it. */
export interface StoredGeneration {
  generation: number;
  version: number;
  /** Last position committed (0 before the first commit). */
  checkpoint: number;
  /** Positions between the checkpoint and the last event the projection handles. */
  lagEvents: number;
}

export interface StoredProjectionStatus {
  name: string;
  version: number;
  serving?: StoredGeneration;
  building?: StoredGeneration;
}

/**
 * The status of each projection as its storage records it, read without running anything: it
 * shows the progress of whichever process runs the projections, a server included.
 */
export async function storedStatuses(
  projections: readonly Projection[],
  log: EventStore,
  readModels: ReadModelStore,
): Promise<StoredProjectionStatus[]> {
  const generations = new ProjectionGenerations(readModels);
  const statuses: StoredProjectionStatus[] = [];
  for (const projection of projections) {
    const meta = await generations.read(projection.name);
    const [last] = await log.readAll({
      direction: 'backwards',
      maxCount: 1,
      filter: { eventTypes: projection.handles },
    });
    const head = last?.position ?? 0;
    const stored = async (ref: GenerationRef): Promise<StoredGeneration> => {
      const checkpoint =
        (await readModels.loadCheckpoint(
          projectionStorage.checkpoint({ projection: projection.name, generation: ref.generation }),
        )) ?? 0;
      return { ...ref, checkpoint, lagEvents: Math.max(0, head - checkpoint) };
    };
    const status: StoredProjectionStatus = { name: projection.name, version: projection.version };
    if (meta.serving) status.serving = await stored(meta.serving);
    if (meta.building) status.building = await stored(meta.building);
    statuses.push(status);
  }
  return statuses;
}

/**
 * One line per projection, e.g.
 * `profiles  v1  serving generation 2  checkpoint 1234  lag 0`.
 */
export function formatStatuses(statuses: readonly StoredProjectionStatus[]): string {
  const width = Math.max(...statuses.map((status) => status.name.length));
  return statuses
    .map((status) => {
      const name = status.name.padEnd(width);
      const serving = status.serving
        ? `serving generation ${status.serving.generation}  checkpoint ${status.serving.checkpoint}  lag ${status.serving.lagEvents}`
        : 'never started';
      const building = status.building
        ? `  (rebuilding generation ${status.building.generation}: checkpoint ${status.building.checkpoint}, lag ${status.building.lagEvents})`
        : '';
      return `${name}  v${status.version}  ${serving}${building}\n`;
    })
    .join('');
}
