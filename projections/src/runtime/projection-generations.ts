import type { ReadModelStore } from '../ports/read-model-store.port.js';
import type { Projection } from './projection.js';
import { projectionStorage } from './projection-storage.js';

export interface GenerationRef {
  generation: number;
  version: number;
}

export interface ProjectionMeta {
  /** The generation readers use. */
  serving?: GenerationRef;
  /** A generation being rebuilt from position 0. */
  building?: GenerationRef;
}

/**
 * Which generation of a projection serves reads and which one is being built, kept in the
 * key-value store (so every process of a scale-out install agrees), and the storage of each.
 */
export class ProjectionGenerations {
  constructor(private readonly store: ReadModelStore) {}

  async read(projection: string): Promise<ProjectionMeta> {
    const fields = await this.store.keyValues.hashGetAll(projectionStorage.metaKey(projection));
    const meta: ProjectionMeta = {};
    const serving = refOf(fields.serving, fields.servingVersion);
    const building = refOf(fields.building, fields.buildingVersion);
    if (serving) meta.serving = serving;
    if (building) meta.building = building;
    return meta;
  }

  /**
   * Creates the storage of a new generation (one past every generation known) in `role`. A new
   * serving generation (the very first one) gets the aliases at once.
   */
  async create(projection: Projection, role: 'serving' | 'building'): Promise<ProjectionMeta> {
    const meta = await this.read(projection.name);
    const generation = Math.max(meta.serving?.generation ?? 0, meta.building?.generation ?? 0) + 1;
    for (const [logical, mapping] of Object.entries(projection.collections)) {
      const physical = projectionStorage.collection(logical, generation);
      await this.store.documents.createCollection(physical, mapping);
      if (role === 'serving') await this.store.documents.setAlias(logical, physical);
    }
    await this.store.keyValues.write([
      {
        op: 'hashSet',
        key: projectionStorage.metaKey(projection.name),
        fields: { [role]: String(generation), [`${role}Version`]: String(projection.version) },
      },
    ]);
    return this.read(projection.name);
  }

  /**
   * Makes `generation` the serving one: aliases first (searches), then the pointer (lookups).
   * Returns the generation it replaced, whose storage the caller drops.
   */
  async switchTo(projection: Projection, generation: number): Promise<number | undefined> {
    const meta = await this.read(projection.name);
    for (const logical of Object.keys(projection.collections)) {
      await this.store.documents.setAlias(
        logical,
        projectionStorage.collection(logical, generation),
      );
    }
    const key = projectionStorage.metaKey(projection.name);
    await this.store.keyValues.write([
      {
        op: 'hashSet',
        key,
        fields: { serving: String(generation), servingVersion: String(projection.version) },
      },
      { op: 'hashDelete', key, fields: ['building', 'buildingVersion'] },
    ]);
    const replaced = meta.serving?.generation;
    return replaced === generation ? undefined : replaced;
  }

  /** Drops a generation's collections, key-values and checkpoint. */
  async drop(projection: Projection, generation: number): Promise<void> {
    for (const logical of Object.keys(projection.collections)) {
      await this.store.documents.dropCollection(projectionStorage.collection(logical, generation));
    }
    const ref = { projection: projection.name, generation };
    await this.store.keyValues.deletePrefix(projectionStorage.keyPrefix(ref));
    await this.store.deleteCheckpoint(projectionStorage.checkpoint(ref));
  }
}

function refOf(generation?: string, version?: string): GenerationRef | undefined {
  if (generation === undefined || version === undefined) return undefined;
  return { generation: Number(generation), version: Number(version) };
}
