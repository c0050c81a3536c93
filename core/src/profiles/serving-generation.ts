import { ProjectionGenerations, projectionStorage, type ReadModelStore } from '@uspa/projections';

/**
 * Which generation of a projection serves reads, cached briefly: after a rebuild switches, every
 * process (of a scale-out install too) follows within `ttlMs`.
 */
export class ServingGeneration {
  readonly #generations: ProjectionGenerations;
  #cached: { prefix: string | undefined; at: number } | undefined;

  constructor(
    store: ReadModelStore,
    private readonly projection: string,
    private readonly ttlMs = 500,
  ) {
    this.#generations = new ProjectionGenerations(store);
  }

  /**
   * The serving generation's key prefix; undefined before the projection ever started. `fresh`
   * reads the pointer again, for a reader that missed in a generation a rebuild may have dropped.
   */
  async keyPrefix(options: { fresh?: boolean } = {}): Promise<string | undefined> {
    const now = Date.now();
    if (!options.fresh && this.#cached && now - this.#cached.at < this.ttlMs) {
      return this.#cached.prefix;
    }
    const meta = await this.#generations.read(this.projection);
    const prefix = meta.serving
      ? projectionStorage.keyPrefix({
          projection: this.projection,
          generation: meta.serving.generation,
        })
      : undefined;
    this.#cached = { prefix, at: now };
    return prefix;
  }
}
