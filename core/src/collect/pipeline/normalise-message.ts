import { hash } from 'node:crypto';
import type { CallType, TrackingEvent } from '@uspa/sdk';
import { CALL_EVENT_TYPES } from '../../domain/tracking-events.js';
import type { IngestionSource } from '../ingestion.js';
import { dlq, ok, type StepResult } from './step-result.js';

const MAX_ID_LENGTH = 256;

type Message = Record<string, unknown>;

/**
 * Turns a raw Segment-spec message into a {@link TrackingEvent}: the call type, ids as strings,
 * timestamps as ISO strings corrected for the sender's clock skew (as the Segment spec does:
 * `timestamp = receivedAt − (sentAt − timestamp)`), and the client IP as `context.ip` when absent.
 */
export function normaliseMessage(
  message: Message,
  source: IngestionSource,
): StepResult<TrackingEvent> {
  const type = message.type;
  if (typeof type !== 'string' || !(type in CALL_EVENT_TYPES)) {
    return dlq('invalid_type', `type must be one of ${Object.keys(CALL_EVENT_TYPES).join(', ')}`);
  }
  const userId = toId(message.userId);
  const anonymousId = toId(message.anonymousId);
  if (userId === null || anonymousId === null) {
    return dlq(
      'invalid_id',
      `userId and anonymousId must be non-empty strings or numbers of at most ${MAX_ID_LENGTH} characters`,
    );
  }
  if (userId === undefined && anonymousId === undefined) {
    return dlq('missing_identity', 'A message needs a userId or an anonymousId');
  }
  const times = correctedTimes(message, source.receivedAt);
  if (typeof times === 'string') return dlq('invalid_timestamp', times);
  const context = objectOr(message.context);
  if (context.ip === undefined && source.ip) context.ip = source.ip;
  const messageId = toId(message.messageId) ?? contentId(message);
  const event: TrackingEvent = {
    type: type as CallType,
    messageId,
    ...(userId !== undefined && { userId }),
    ...(anonymousId !== undefined && { anonymousId }),
    ...optionalStrings(message, ['event', 'name', 'category']),
    ...optionalIds(message, ['groupId', 'previousId']),
    ...times,
    receivedAt: source.receivedAt.toISOString(),
    context,
    properties: objectOr(message.properties),
    traits: objectOr(message.traits ?? (type === 'identify' ? context.traits : undefined)),
    ...(isObject(message.integrations) && { integrations: message.integrations }),
    enrichment: {},
  };
  return ok(event);
}

function correctedTimes(message: Message, receivedAt: Date) {
  const timestamp = parseTime(message.timestamp ?? message.originalTimestamp);
  const sentAt = parseTime(message.sentAt);
  if (timestamp === null) return 'timestamp is not a valid ISO-8601 date';
  if (sentAt === null) return 'sentAt is not a valid ISO-8601 date';
  const skew = sentAt ? receivedAt.getTime() - sentAt.getTime() : 0;
  const happened = timestamp ? new Date(timestamp.getTime() + skew) : new Date(receivedAt);
  return {
    timestamp: happened.toISOString(),
    ...(timestamp && { originalTimestamp: timestamp.toISOString() }),
    ...(sentAt && { sentAt: sentAt.toISOString() }),
  };
}

/** undefined when absent, null when present but unusable. */
function parseTime(value: unknown): Date | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 64) return null;
  // Date.parse accepts too much ("1", "May 5"): require an ISO-8601 date to start.
  if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function toId(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const id = value.trim();
  if (id.length === 0) return undefined;
  return id.length > MAX_ID_LENGTH ? null : id;
}

function optionalStrings(message: Message, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (typeof message[key] === 'string') out[key] = message[key];
  return out;
}

function optionalIds(message: Message, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const id = toId(message[key]);
    if (typeof id === 'string') out[key] = id;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function objectOr(value: unknown): Record<string, unknown> {
  return isObject(value) ? { ...value } : {};
}

/** Messages without a messageId get one from their content, so a retried one still dedupes. */
function contentId(message: Message): string {
  return `content-${hash('sha256', JSON.stringify(message)).slice(0, 32)}`;
}
