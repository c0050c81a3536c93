import type { TrackingEvent } from '@uspa/sdk';
import { inject, injectable } from '../composition/decorators.js';
import { derivedEventId } from '../domain/event-ids.js';
import { streamOf } from '../domain/streams.js';
import { INGESTION_REJECTED } from '../domain/tracking-events.js';
import { UspaError } from '../errors/index.js';
import { EVENT_STORE, type EventStore, type EventToAppend } from '../ports/event-store.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import type {
  DroppedMessage,
  IngestResult,
  IngestionPipeline,
  IngestionSource,
  RejectedMessage,
} from './ingestion.js';
import { trackingPlanStep, type TrackingPlanLookup } from './pipeline/apply-tracking-plan.js';
import { normaliseMessage } from './pipeline/normalise-message.js';
import { limitsFor, sanitiseMessage } from './pipeline/sanitise-message.js';
import type { StepResult } from './pipeline/step-result.js';
import { toStoredEvent } from './pipeline/to-stored-event.js';
import { validateMessage } from './pipeline/validate-message.js';

export const EVENT_ENRICHMENT = Symbol('EventEnrichment');

/**
 * The enrich step over the events of one request (the plugin host's enrichment chain): one
 * result per event, in order.
 */
export type EventEnrichment = (
  events: readonly TrackingEvent[],
) => Promise<StepResult<TrackingEvent>[]>;
export const TRACKING_PLANS = Symbol('TrackingPlans');

interface Stored {
  index: number;
  messageId: string;
  streamId: string;
  event: EventToAppend;
}

/**
 * parse → normalise → validate (spec, then tracking plan) → enrich → append. Each message goes
 * through the steps on its own; the survivors are appended together, one append per stream, so
 * the store's group commit writes the whole request in one transaction.
 */
@injectable()
export class SegmentIngestionPipeline implements IngestionPipeline {
  readonly #applyPlan: (event: TrackingEvent, sourceId: string) => StepResult<TrackingEvent>;

  constructor(
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(EVENT_ENRICHMENT) private readonly enrich: EventEnrichment,
    @inject(TRACKING_PLANS) plans: TrackingPlanLookup,
    @inject(LOGGER) private readonly logger: Logger,
  ) {
    this.#applyPlan = trackingPlanStep(plans);
  }

  async ingest(messages: readonly unknown[], source: IngestionSource): Promise<IngestResult> {
    const rejected: RejectedMessage[] = [];
    const dropped: DroppedMessage[] = [];
    const stored: Stored[] = [];
    const outcomes = await this.#process(messages, source);
    outcomes.forEach((outcome, index) => {
      const messageId = messageIdOf(messages[index]);
      if (outcome.kind === 'ok') {
        stored.push({
          index,
          messageId: outcome.value.messageId,
          ...toStoredEvent(outcome.value, source),
        });
      } else if (outcome.kind === 'drop') {
        dropped.push({ index, messageId, reason: outcome.reason });
      } else {
        rejected.push({ index, messageId, reason: outcome.reason, detail: outcome.detail });
      }
    });
    const refused = await this.#append(stored);
    rejected.push(...refused);
    if (rejected.length > 0) await this.#deadLetter(rejected, messages, source);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: stored.length - refused.length, rejected, dropped };
  }

  /** Every message through the steps before enrichment, then the survivors enriched together. */
  async #process(
    messages: readonly unknown[],
    source: IngestionSource,
  ): Promise<StepResult<TrackingEvent>[]> {
    const outcomes = messages.map((raw) => this.#prepare(raw, source));
    const ready = outcomes.flatMap((outcome, index) => (outcome.kind === 'ok' ? [index] : []));
    if (ready.length === 0) return outcomes;
    const enriched = await this.enrich(
      ready.map((index) => (outcomes[index] as { value: TrackingEvent }).value),
    );
    ready.forEach((index, n) => (outcomes[index] = enriched[n]!));
    return outcomes;
  }

  #prepare(raw: unknown, source: IngestionSource): StepResult<TrackingEvent> {
    const sane = sanitiseMessage(raw, limitsFor(source.channel));
    if (sane.kind !== 'ok') return sane;
    const normal = normaliseMessage(sane.value, source);
    if (normal.kind !== 'ok') return normal;
    const valid = validateMessage(normal.value);
    if (valid.kind !== 'ok') return valid;
    return this.#applyPlan(valid.value, source.sourceId);
  }

  /** One append per stream, all at once; a stream that refuses (erased user) rejects its own. */
  async #append(stored: readonly Stored[]): Promise<RejectedMessage[]> {
    const byStream = new Map<string, Stored[]>();
    for (const item of stored) {
      const list = byStream.get(item.streamId);
      if (list) list.push(item);
      else byStream.set(item.streamId, [item]);
    }
    const results = await Promise.allSettled(
      [...byStream].map(([streamId, items]) =>
        this.store.append(
          streamId,
          items.map((item) => item.event),
        ),
      ),
    );
    const rejected: RejectedMessage[] = [];
    [...byStream.values()].forEach((items, n) => {
      const result = results[n]!;
      if (result.status === 'fulfilled') return;
      // Only refusals about the data are the message's fault; anything else fails the request.
      if (!(result.reason instanceof UspaError) || result.reason.status >= 500) throw result.reason;
      for (const item of items) {
        rejected.push({
          index: item.index,
          messageId: item.messageId,
          reason: result.reason.code,
          detail: result.reason.message,
        });
      }
    });
    return rejected;
  }

  async #deadLetter(
    rejected: readonly RejectedMessage[],
    messages: readonly unknown[],
    source: IngestionSource,
  ): Promise<void> {
    const events: EventToAppend[] = rejected.map((rejection) => ({
      id: derivedEventId(
        'rejected',
        source.sourceId,
        rejection.messageId ?? `${source.receivedAt.toISOString()}#${rejection.index}`,
      ),
      type: INGESTION_REJECTED,
      data: {
        reason: rejection.reason,
        detail: rejection.detail,
        index: rejection.index,
        messageId: rejection.messageId,
        message: truncated(messages[rejection.index]),
      },
      metadata: {
        receivedAt: source.receivedAt.toISOString(),
        source: source.sourceId,
        channel: source.channel,
        ...(source.writeKeyId && { writeKeyId: source.writeKeyId }),
      },
    }));
    await this.store.append(streamOf.ingestionDeadLetters(), events);
    this.logger.debug({ count: events.length, source: source.sourceId }, 'messages dead-lettered');
  }
}

function messageIdOf(raw: unknown): string | undefined {
  const id = (raw as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 256) : undefined;
}

/** Dead letters keep the message for inspection, but never more than the size limit. */
function truncated(raw: unknown): unknown {
  try {
    const json = JSON.stringify(raw);
    if (json === undefined) return null;
    return json.length <= 32 * 1024 ? raw : { truncated: json.slice(0, 32 * 1024) };
  } catch {
    return { unserialisable: true };
  }
}
