import type {
  AppendOptions,
  AppendResult,
  EventSubscription,
  EventToAppend,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  SubscribeOptions,
} from '@uspa/sdk';

/**
 * The part of the event log the read side uses: subscribe (projections), read (timelines,
 * recomputations) and append (reactors, dead letters). The core's `EventStore` port satisfies it,
 * so every event-store adapter serves the read side unchanged.
 */
export const PROJECTION_EVENT_LOG = Symbol('ProjectionEventLog');

export interface ProjectionEventLog {
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  append(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
}
