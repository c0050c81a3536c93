import type { RecordedEvent } from '@uspa/sdk';
import type { ProjectionKeyValues } from '../runtime/projection.js';
import {
  compileSegmentCondition,
  referencedSegments,
  type SegmentMatcher,
} from './segment-conditions.js';
import { viewScope, type ViewScope } from './condition/view-scope.js';
import {
  SEGMENT_DEFINED,
  SEGMENT_DELETED,
  type SegmentDefinition,
  type SegmentDeletedData,
} from './segment-events.js';

/** Key-value hash of the segment definitions the projection has seen: id → definition JSON. */
export const SEGMENT_DEFINITIONS_KEY = 'segments:definitions';

export interface CompiledSegment {
  definition: SegmentDefinition;
  matches: SegmentMatcher;
}

/**
 * The segment definitions in force, compiled once, in evaluation order: a segment comes after
 * the segments its condition refers to, so one pass over the list settles every membership.
 */
export class SegmentCatalog {
  readonly #segments = new Map<string, CompiledSegment>();
  #ordered: CompiledSegment[] | undefined;
  #scope: ViewScope | undefined;

  static async load(keyValues: ProjectionKeyValues): Promise<SegmentCatalog> {
    const catalog = new SegmentCatalog();
    const stored = await keyValues.hashGetAll(SEGMENT_DEFINITIONS_KEY);
    for (const json of Object.values(stored)) catalog.define(JSON.parse(json) as SegmentDefinition);
    return catalog;
  }

  get size(): number {
    return this.#segments.size;
  }

  get(id: string): CompiledSegment | undefined {
    return this.#segments.get(id);
  }

  /** Applies a definition event; returns the id of the segment that changed, if one did. */
  apply(event: Pick<RecordedEvent, 'type' | 'data'>, keyValues: ProjectionKeyValues) {
    if (event.type === SEGMENT_DEFINED) {
      const definition = event.data as SegmentDefinition;
      const current = this.#segments.get(definition.id);
      if (current && current.definition.version >= definition.version) return undefined;
      this.define(definition);
      keyValues.write({
        op: 'hashSet',
        key: SEGMENT_DEFINITIONS_KEY,
        fields: { [definition.id]: JSON.stringify(definition) },
      });
      return definition.id;
    }
    if (event.type === SEGMENT_DELETED) {
      const { id } = event.data as SegmentDeletedData;
      if (!this.#segments.delete(id)) return undefined;
      this.#ordered = undefined;
      this.#scope = undefined;
      keyValues.write({ op: 'hashDelete', key: SEGMENT_DEFINITIONS_KEY, fields: [id] });
      return id;
    }
    return undefined;
  }

  define(definition: SegmentDefinition): void {
    this.#segments.set(definition.id, {
      definition,
      matches: compileSegmentCondition(definition.condition),
    });
    this.#ordered = undefined;
    this.#scope = undefined;
  }

  /** What the segments in force read of a profile's view (see `segmentView`). */
  viewScope(): ViewScope {
    this.#scope ??= viewScope([...this.#segments.values()].map((s) => s.definition.condition));
    return this.#scope;
  }

  /** Segments in dependency order (a cycle, refused when defined, would be cut arbitrarily). */
  ordered(): readonly CompiledSegment[] {
    if (this.#ordered) return this.#ordered;
    const ordered: CompiledSegment[] = [];
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (segment: CompiledSegment): void => {
      const id = segment.definition.id;
      if (done.has(id) || visiting.has(id)) return;
      visiting.add(id);
      for (const reference of referencedSegments(segment.definition.condition)) {
        const referenced = this.#segments.get(reference);
        if (referenced) visit(referenced);
      }
      visiting.delete(id);
      done.add(id);
      ordered.push(segment);
    };
    for (const id of [...this.#segments.keys()].sort()) visit(this.#segments.get(id)!);
    this.#ordered = ordered;
    return ordered;
  }
}
