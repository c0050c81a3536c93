import type { CallType, TrackingEvent } from '@uspa/sdk';

/**
 * Builds the `TrackingEvent` an enrichment plugin receives, with fixed ids and timestamps so a
 * test's expected output never depends on the clock.
 *
 * @example
 * const event = aTrackingEvent()
 *   .withContext({ ip: '81.2.69.160', page: { url: 'https://shop.example/garden' } })
 *   .build();
 */
export function aTrackingEvent(type: CallType = 'page'): TrackingEventBuilder {
  return new TrackingEventBuilder(type);
}

export class TrackingEventBuilder {
  readonly #event: TrackingEvent;

  constructor(type: CallType) {
    this.#event = {
      type,
      messageId: 'm-1',
      anonymousId: 'a-1',
      timestamp: '2026-11-29T10:00:00.000Z',
      receivedAt: '2026-11-29T10:00:00.120Z',
      context: {},
      properties: {},
      traits: {},
      enrichment: {},
    };
  }

  /** `track` events: the event name, e.g. `Product Viewed`. */
  named(event: string): this {
    if (this.#event.type === 'track') this.#event.event = event;
    else this.#event.name = event;
    return this;
  }

  /** Merged into `context` at the top level; a later call overrides an earlier key. */
  withContext(context: Record<string, unknown>): this {
    Object.assign(this.#event.context, context);
    return this;
  }

  /** Merged into `properties` at the top level. */
  withProperties(properties: Record<string, unknown>): this {
    Object.assign(this.#event.properties, properties);
    return this;
  }

  /** What an earlier plugin already added. */
  withEnrichment(enrichment: Record<string, unknown>): this {
    Object.assign(this.#event.enrichment, enrichment);
    return this;
  }

  /** A deep copy, so one builder can yield events that tests then change independently. */
  build(): TrackingEvent {
    return structuredClone(this.#event);
  }
}
