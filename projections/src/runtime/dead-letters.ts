import type { RecordedEvent } from '@uspa/sdk';
import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import { derivedId } from './derived-id.js';
import type { Projection } from './projection.js';
import { projectionStorage, type ProjectionGeneration } from './projection-storage.js';

export const PROJECTION_EVENT_PARKED = 'ProjectionEventParked';
export const PROJECTION_DEAD_LETTER_REPLAYED = 'ProjectionDeadLetterReplayed';

export interface ParkedEventData {
  projection: string;
  version: number;
  generation: number;
  eventId: string;
  eventType: string;
  streamId: string;
  revision: number;
  position: number;
  error: { name: string; message: string };
}

export interface DeadLetterReplayedData {
  projection: string;
  eventId: string;
  outcome: 'applied' | 'failed';
  error?: { name: string; message: string };
}

/** Records a poison event in the projection's dead-letter stream, once per generation. */
export async function parkEvent(
  log: ProjectionEventLog,
  projection: Projection,
  generation: ProjectionGeneration,
  event: RecordedEvent,
  error: unknown,
): Promise<void> {
  const data: ParkedEventData = {
    projection: projection.name,
    version: projection.version,
    generation: generation.generation,
    eventId: event.id,
    eventType: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    error: errorOf(error),
  };
  await log.append(projectionStorage.deadLetterStream(projection.name), [
    {
      id: derivedId(
        PROJECTION_EVENT_PARKED,
        projection.name,
        String(generation.generation),
        event.id,
      ),
      type: PROJECTION_EVENT_PARKED,
      data,
    },
  ]);
}

export function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

export interface DeadLetter {
  parked: ParkedEventData;
  /** The position of the parking record in the log. */
  parkedAt: number;
  replayed?: DeadLetterReplayedData;
}

/** The dead letters of a projection, each with the outcome of its last replay if any. */
export async function listDeadLetters(
  log: ProjectionEventLog,
  projection: string,
): Promise<DeadLetter[]> {
  const { events } = await log.readStream(projectionStorage.deadLetterStream(projection), {
    maxCount: 100_000,
  });
  const letters = new Map<string, DeadLetter>();
  for (const event of events) {
    if (event.type === PROJECTION_EVENT_PARKED) {
      const parked = event.data as ParkedEventData;
      letters.set(parked.eventId, { parked, parkedAt: event.position });
    } else if (event.type === PROJECTION_DEAD_LETTER_REPLAYED) {
      const replayed = event.data as DeadLetterReplayedData;
      const letter = letters.get(replayed.eventId);
      if (letter) letter.replayed = replayed;
    }
  }
  return [...letters.values()];
}
