import { streamOf, type CallType, type EventToAppend } from '@uspa/sdk';
import { randomUUID } from 'node:crypto';

const EVENT_TYPES: Record<CallType, string> = {
  track: 'Tracked',
  page: 'PageViewed',
  screen: 'ScreenViewed',
  identify: 'Identified',
  group: 'GroupAssociated',
  alias: 'Aliased',
};

/** An interaction ready to append: its stream and the event, as collection stores them. */
export interface GivenInteraction {
  streamId: string;
  event: EventToAppend;
}

/**
 * Builds interaction events for projection specs, shaped as the collection pipeline stores them.
 *
 * @example
 * anInteraction('identify').user('42').anonymous('a-1').traits({ email: 'ada@example.com' })
 *   .at('2026-11-01T10:00:00Z').build();
 */
export function anInteraction(call: CallType): InteractionBuilder {
  return new InteractionBuilder(call);
}

export class InteractionBuilder {
  readonly #data: Record<string, unknown> & {
    context: Record<string, unknown>;
    enrichment: Record<string, unknown>;
  };

  constructor(private readonly call: CallType) {
    const now = '2026-11-01T10:00:00.000Z';
    this.#data = {
      type: call,
      messageId: randomUUID(),
      timestamp: now,
      receivedAt: now,
      context: {},
      properties: {},
      traits: {},
      enrichment: {},
    };
  }

  user(userId: string): this {
    this.#data.userId = userId;
    return this;
  }

  anonymous(anonymousId: string): this {
    this.#data.anonymousId = anonymousId;
    return this;
  }

  previous(previousId: string): this {
    this.#data.previousId = previousId;
    return this;
  }

  named(event: string): this {
    this.#data.event = event;
    return this;
  }

  traits(traits: Record<string, unknown>): this {
    this.#data.traits = traits;
    return this;
  }

  contextTraits(traits: Record<string, unknown>): this {
    this.#data.context.traits = traits;
    return this;
  }

  properties(properties: Record<string, unknown>): this {
    this.#data.properties = properties;
    return this;
  }

  group(groupId: string): this {
    this.#data.groupId = groupId;
    return this;
  }

  enrichment(enrichment: Record<string, unknown>): this {
    this.#data.enrichment = enrichment;
    return this;
  }

  at(timestamp: string): this {
    this.#data.timestamp = new Date(timestamp).toISOString();
    this.#data.receivedAt = this.#data.timestamp;
    return this;
  }

  build(): GivenInteraction {
    const { userId, anonymousId } = this.#data as { userId?: string; anonymousId?: string };
    return {
      streamId: streamOf.interaction({ userId, anonymousId }),
      event: { type: EVENT_TYPES[this.call], data: structuredClone(this.#data) },
    };
  }
}
