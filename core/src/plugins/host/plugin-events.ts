import type { PluginEvent } from '@uspa/sdk';
import type { RecordedEvent } from '../../ports/event-store.port.js';

/** A logged event as plugins receive it: plain JSON, so it crosses into an isolate unchanged. */
export function toPluginEvent(event: RecordedEvent): PluginEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    data: (event.data ?? {}) as Record<string, unknown>,
    metadata: { ...event.metadata },
  };
}
