import {
  SEGMENT_DEFINED,
  SEGMENT_DELETED,
  type SegmentDefinition,
  type SegmentDeletedData,
} from '@uspa/projections';
import type { RecordedEvent } from '../ports/event-store.port.js';

export const SEGMENT_DIRECTORY = Symbol('SegmentDirectory');

/**
 * The segment definitions in force with their stream revisions, followed live from the
 * `segment-*` streams: the segments API lists them and checks new conditions against them
 * (references must exist, no cycles).
 */
export class SegmentDirectory {
  readonly #segments = new Map<string, { definition: SegmentDefinition; revision: number }>();

  apply(event: Pick<RecordedEvent, 'type' | 'data' | 'revision'>): void {
    if (event.type === SEGMENT_DEFINED) {
      const definition = event.data as SegmentDefinition;
      const current = this.#segments.get(definition.id);
      if (current && current.definition.version > definition.version) return;
      this.#segments.set(definition.id, { definition, revision: event.revision });
    } else if (event.type === SEGMENT_DELETED) {
      const { id } = event.data as SegmentDeletedData;
      this.#segments.delete(id);
    }
  }

  list(): SegmentDefinition[] {
    return [...this.#segments.values()]
      .map((entry) => entry.definition)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  get(id: string): SegmentDefinition | undefined {
    return this.#segments.get(id)?.definition;
  }

  /** The revision of the segment's stream when it was last defined. */
  revision(id: string): number | undefined {
    return this.#segments.get(id)?.revision;
  }
}
