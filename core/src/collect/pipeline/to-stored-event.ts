import type { TrackingEvent } from '@uspa/sdk';
import { trackingEventId } from '../../domain/event-ids.js';
import { streamOf } from '../../domain/streams.js';
import { CALL_EVENT_TYPES, TRACKING_SCHEMA_VERSION } from '../../domain/tracking-events.js';
import type { EventToAppend } from '../../ports/event-store.port.js';
import type { IngestionSource } from '../ingestion.js';

/** The event to append for a tracking call, and the stream it belongs to. */
export function toStoredEvent(
  event: TrackingEvent,
  source: IngestionSource,
): { streamId: string; event: EventToAppend } {
  const { type, ...data } = event;
  return {
    streamId: streamOf.interaction(event),
    event: {
      id: trackingEventId(source.sourceId, event.messageId),
      type: CALL_EVENT_TYPES[type],
      data,
      metadata: {
        receivedAt: event.receivedAt,
        source: source.sourceId,
        channel: source.channel,
        schemaVersion: TRACKING_SCHEMA_VERSION,
        ...(source.writeKeyId && { writeKeyId: source.writeKeyId }),
      },
    },
  };
}
