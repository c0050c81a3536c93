import { UspaError, WrongExpectedRevisionError } from '../../errors/index.js';
import type { AppendResult, ExpectedRevision } from '../../ports/event-store.port.js';
import type {
  ExactRevision,
  PreparedEvent,
  StoredEvent,
  TargetStreams,
} from './event-id-claims.js';

/** Rounds against other writers of the same stream before an `any` append gives up. */
const MAX_ATTEMPTS = 10;

/**
 * Appends under the caller's expectation, but always sends an exact revision.
 *
 * Why: a claim that looked abandoned may belong to a writer that is only slow, and EventStoreDB
 * does not promise to drop a queued write when its client gives up (a batch append is queued
 * under the token of the long-lived batch call, not of the one request). Two writers holding the
 * same event id therefore may both append it. With exact revisions at most one of them lands at
 * a given revision; the other is refused (or, for an identical batch, answered as the idempotent
 * retry it is) and looks at what was written meanwhile: its own events found there count as
 * stored, not as something to append again. `any` and `stream_exists` become the head read
 * before (`head`, fetched while the claims are made), then follow the stream as it moves.
 *
 * `found` collects the caller's events that another writer stored meanwhile.
 */
export async function appendFenced(
  streams: TargetStreams,
  streamId: string,
  events: readonly PreparedEvent[],
  expected: ExpectedRevision,
  head: Promise<ExactRevision> | undefined,
  deadlineMs: number,
  found: Map<string, StoredEvent>,
): Promise<{ result?: AppendResult; written: readonly PreparedEvent[] }> {
  let at = await startAt(streamId, expected, head);
  let pending = events;
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await streams.append(streamId, pending, at, deadlineMs), written: pending };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const { actual } = error;
      if (actual !== 'no_stream') {
        const from = at === 'no_stream' ? 0 : at + 1;
        const ids = new Set(pending.map((event) => event.id));
        for (const { id, stored } of await streams.range(streamId, from, actual)) {
          if (ids.has(id)) found.set(id, stored);
        }
        pending = pending.filter((event) => !found.has(event.id));
        if (pending.length === 0) return { written: [] };
      }
      if (expected === 'stream_exists' && actual === 'no_stream') {
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      // A number or no_stream was the caller's own condition: the stream no longer meets it.
      if (expected !== 'any' && expected !== 'stream_exists') throw error;
      if (attempt === MAX_ATTEMPTS) {
        throw new UspaError('append_contended', 503, `Too many concurrent appends to ${streamId}`);
      }
      at = actual;
    }
  }
}

/** Skips the head read when the caller's expectation is exact already. */
export function needsHead(expected: ExpectedRevision): boolean {
  return expected === 'any' || expected === 'stream_exists';
}

async function startAt(
  streamId: string,
  expected: ExpectedRevision,
  head: Promise<ExactRevision> | undefined,
): Promise<ExactRevision> {
  if (!needsHead(expected)) return expected as ExactRevision;
  if (!head) throw new Error(`unreachable: an ${String(expected)} append without its head`);
  const current = await head;
  if (expected === 'stream_exists' && current === 'no_stream') {
    throw new WrongExpectedRevisionError(streamId, expected, current);
  }
  return current;
}
