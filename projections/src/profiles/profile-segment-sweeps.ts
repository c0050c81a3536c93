import type { ProjectionContext } from '../runtime/projection.js';
import type { ProfileBatch } from './profile-batch.js';
import { PROFILES_COLLECTION } from './profile-keys.js';

/** Key of the backfill in progress (plain JSON value), read by the segments API for progress. */
export const SEGMENT_BACKFILL_KEY = 'segments:backfill';
const SWEEP_CHUNK = 500;
/** Runner memory: when due time windows were last looked for. */
const LAST_WINDOW_SWEEP = 'segments:last-window-sweep';

/**
 * A pass over every profile after segments were defined, redefined or deleted. One pass serves
 * every change made before it ends: a change during a pass restarts it with all of them.
 */
export interface SegmentBackfill {
  /** Segment id → the version being computed (0 for a deleted segment). */
  segments: Record<string, number>;
  /** Cursor of the next page of profiles; absent before the first page. */
  after?: string;
  done: number;
  total: number;
  startedAt: string;
}

/**
 * Runner memory: the backfill as last read or written (null: none), so settling after each live
 * batch does not read storage to learn that no backfill is running.
 */
const BACKFILL_MEMORY = 'segments:backfill';

export async function readBackfill(context: ProjectionContext) {
  const remembered = context.memory.get(BACKFILL_MEMORY) as SegmentBackfill | null | undefined;
  if (remembered !== undefined) return remembered ?? undefined;
  const json = await context.keyValues.get(SEGMENT_BACKFILL_KEY);
  const backfill = json === undefined ? undefined : (JSON.parse(json) as SegmentBackfill);
  context.memory.set(BACKFILL_MEMORY, backfill ?? null);
  return backfill;
}

function writeBackfill(context: ProjectionContext, backfill: SegmentBackfill | undefined): void {
  context.memory.set(BACKFILL_MEMORY, backfill ?? null);
  context.keyValues.write(
    backfill === undefined
      ? { op: 'delete', key: SEGMENT_BACKFILL_KEY }
      : { op: 'set', key: SEGMENT_BACKFILL_KEY, value: JSON.stringify(backfill) },
  );
}

/** Starts (or restarts) the pass for the segments that changed. */
export async function requestBackfill(
  context: ProjectionContext,
  changed: ReadonlyMap<string, number>,
  now: number,
): Promise<void> {
  const current = await readBackfill(context);
  const backfill: SegmentBackfill = {
    segments: { ...current?.segments, ...Object.fromEntries(changed) },
    done: 0,
    total: 0,
    startedAt: new Date(now).toISOString(),
  };
  writeBackfill(context, backfill);
}

/** Evaluates the next page of the backfill pass; true while pages are left. */
export async function continueBackfill(batch: ProfileBatch, context: ProjectionContext) {
  const backfill = await readBackfill(context);
  if (!backfill) return false;
  const page = await context.documents.search(PROFILES_COLLECTION, {
    size: SWEEP_CHUNK,
    ...(backfill.after === undefined ? {} : { after: backfill.after }),
  });
  await evaluateAll(
    batch,
    page.hits.map((hit) => hit.id),
    'segment_defined',
  );
  if (page.next === undefined) {
    writeBackfill(context, undefined);
    return false;
  }
  const next: SegmentBackfill = {
    ...backfill,
    after: page.next,
    done: backfill.done + page.hits.length,
    total: page.total,
  };
  writeBackfill(context, next);
  return true;
}

/**
 * Re-evaluates the profiles whose time windows have moved ("no purchase in the last 30 days"
 * turns true on day 31 without a new event), at most once per `intervalMs`; true while more are
 * due.
 */
export async function sweepMovedWindows(
  batch: ProfileBatch,
  context: ProjectionContext,
  now: number,
  intervalMs: number,
): Promise<boolean> {
  const last = context.memory.get(LAST_WINDOW_SWEEP) as number | undefined;
  if (last !== undefined && now - last < intervalMs && now >= last) return false;
  const page = await context.documents.search(PROFILES_COLLECTION, {
    filter: { field: 'reevaluateAt', range: { lte: now } },
    size: SWEEP_CHUNK,
  });
  await evaluateAll(
    batch,
    page.hits.map((hit) => hit.id),
    'window_moved',
  );
  const more = page.next !== undefined;
  if (!more) context.memory.set(LAST_WINDOW_SWEEP, now);
  return more;
}

async function evaluateAll(
  batch: ProfileBatch,
  ids: readonly string[],
  reason: 'segment_defined' | 'window_moved',
): Promise<void> {
  await batch.loadProfiles(ids);
  for (const id of ids) {
    const profile = batch.profile(id);
    if (profile) batch.evaluateSegments(profile, reason, true);
  }
  await batch.flushEvaluated();
}
