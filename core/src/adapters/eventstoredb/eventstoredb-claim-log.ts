import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { UspaError } from '../../errors/index.js';
import type { Direction } from '../../ports/event-store.port.js';
import type { ClaimEntry, ClaimLog, ClaimRecord } from './event-id-claims.js';
import { toStoreError } from './eventstoredb-errors.js';
import { CLAIM_STREAM_PREFIX, UNKNOWN_POSITION, fromPosition } from './eventstoredb-mapping.js';

const TYPES = {
  claimed: 'UspaEventIdClaimed',
  stored: 'UspaEventIdStored',
  released: 'UspaEventIdReleased',
} as const satisfies Record<ClaimRecord['kind'], string>;

export function claimStreamOf(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId}`;
}

/**
 * Claim streams in EventStoreDB: `uspa-eventid-<uuid>`, a few small events each.
 *
 * They carry no `$maxAge`/`$maxCount`/`$tb`. Any of those would make a claim disappear (from reads
 * at once, from disk at the next scavenge), and a retry arriving after that would be stored a
 * second time: the guarantee would quietly become "within N days". Keeping them costs about two
 * small events and one index entry per stored event. An operator who accepts a bounded window can
 * set `$maxAge` on them, or delete old claim streams, knowing what it gives up.
 */
export class EventStoreDbClaimLog implements ClaimLog {
  constructor(private readonly client: EventStoreDBClient) {}

  async write(
    eventId: string,
    record: ClaimRecord,
    expected: number | 'no_stream',
  ): Promise<number | undefined> {
    const { kind, ...data } = record;
    try {
      const result = await this.client.appendToStream(
        claimStreamOf(eventId),
        jsonEvent({ type: TYPES[kind], data }),
        { expectedRevision: expected === 'no_stream' ? NO_STREAM : BigInt(expected) },
      );
      return Number(result.nextExpectedRevision);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw toStoreError(error);
    }
  }

  last(eventId: string): Promise<ClaimEntry | undefined> {
    return this.#readOne(eventId, 'backwards');
  }

  first(eventId: string): Promise<ClaimEntry | undefined> {
    return this.#readOne(eventId, 'forwards');
  }

  async #readOne(eventId: string, direction: Direction): Promise<ClaimEntry | undefined> {
    const backwards = direction === 'backwards';
    const stream = this.client.readStream(claimStreamOf(eventId), {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: backwards ? END : START,
      maxCount: 1,
    });
    try {
      for await (const { event } of stream) {
        if (!event) continue;
        return {
          revision: Number(event.revision),
          record: toClaimRecord(eventId, event.type, event.data),
          position: event.position ? fromPosition(event.position) : UNKNOWN_POSITION,
          recordedAt: event.created,
        };
      }
      return undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw toStoreError(error);
    }
  }
}

export function toClaimRecord(eventId: string, type: string, data: unknown): ClaimRecord {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const { streamId, revision, position } = fields;
  if (typeof streamId === 'string') {
    if (type === TYPES.claimed) return { kind: 'claimed', streamId };
    if (type === TYPES.released) return { kind: 'released', streamId };
    const validPosition = position === null || Number.isSafeInteger(position);
    if (type === TYPES.stored && Number.isSafeInteger(revision) && validPosition) {
      return {
        kind: 'stored',
        streamId,
        revision: revision as number,
        position: position as number | null,
      };
    }
  }
  throw new UspaError(
    'claim_unreadable',
    500,
    `The claim stream of event ${eventId} ends with an unreadable ${type} record`,
  );
}
