import { streamOf } from '@uspa/sdk';

/**
 * Where a projection generation keeps its data. Each rebuild is a new generation with its own
 * collections and key prefix, so the previous one serves reads until the switch.
 */
export interface ProjectionGeneration {
  projection: string;
  generation: number;
}

export const projectionStorage = {
  /** Physical collection of a logical one, e.g. `profiles` → `profiles_g3`. */
  collection: (logical: string, generation: number): string => `${logical}_g${generation}`,
  /** Key prefix of a generation's key-values, e.g. `profiles:g3:`. */
  keyPrefix: ({ projection, generation }: ProjectionGeneration): string =>
    `${projection}:g${generation}:`,
  checkpoint: ({ projection, generation }: ProjectionGeneration): string =>
    `${projection}:g${generation}`,
  /** Hash holding which generation serves reads, which one is being built, and versions. */
  metaKey: (projection: string): string => `projection-meta:${projection}`,
  deadLetterStream: (projection: string): string => streamOf.projectionDeadLetters(projection),
};
