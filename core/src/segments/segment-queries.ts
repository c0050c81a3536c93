import {
  PROFILES_COLLECTION,
  SEGMENT_BACKFILL_KEY,
  type Condition,
  type DocumentPage,
  type ReadModelStore,
  type SegmentBackfill,
} from '@uspa/projections';
import type { ServingGeneration } from '../profiles/serving-generation.js';

export interface SegmentPreview {
  count: number;
  sample: { id: string; traits: unknown; identifiers: unknown }[];
  tookMs: number;
}

/** Whether a segment's memberships are complete, or a backfill is still computing them. */
export type SegmentStatus =
  { state: 'ready' } | { state: 'computing'; done: number; total: number; startedAt: string };

/**
 * Segment reads from the profile read model: previews run the condition on the document store
 * (SQL on the embedded store, a query on OpenSearch), members are the profiles whose recorded
 * memberships include the segment.
 */
export class SegmentQueries {
  constructor(
    private readonly store: ReadModelStore,
    private readonly serving: ServingGeneration,
  ) {}

  async preview(condition: Condition, now: number, sampleSize = 10): Promise<SegmentPreview> {
    const started = performance.now();
    const match = { condition, now };
    // A search counts every match for its total: no separate count.
    const page = await this.store.documents.search(PROFILES_COLLECTION, {
      condition: match,
      size: sampleSize,
    });
    return {
      count: page.total,
      sample: page.hits.map((hit) => ({
        id: hit.id,
        traits: hit.document.traits ?? {},
        identifiers: hit.document.identifiers ?? [],
      })),
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  members(segmentId: string, page: { size?: number; after?: string }): Promise<DocumentPage> {
    return this.store.documents.search(PROFILES_COLLECTION, {
      filter: { field: 'segments', eq: segmentId },
      ...(page.size === undefined ? {} : { size: page.size }),
      ...(page.after === undefined ? {} : { after: page.after }),
    });
  }

  memberCount(segmentId: string): Promise<number> {
    return this.store.documents.count(PROFILES_COLLECTION, { field: 'segments', eq: segmentId });
  }

  async status(segmentId: string): Promise<SegmentStatus> {
    const prefix = await this.serving.keyPrefix();
    if (prefix === undefined) return { state: 'ready' };
    const json = await this.store.keyValues.get(prefix + SEGMENT_BACKFILL_KEY);
    if (json === undefined) return { state: 'ready' };
    const backfill = JSON.parse(json) as SegmentBackfill;
    if (!(segmentId in backfill.segments)) return { state: 'ready' };
    return {
      state: 'computing',
      done: backfill.done,
      total: backfill.total,
      startedAt: backfill.startedAt,
    };
  }
}
