/**
 * The entry point of collection: HTTP routes, webhooks and the bulk importer all hand raw
 * Segment-spec messages to one pipeline, so every event is validated, enriched and stored alike.
 */
export const INGESTION_PIPELINE = Symbol('IngestionPipeline');

/** Who sent a request, and when it arrived. */
export interface IngestionSource {
  /** The source the write key belongs to: with a messageId it makes the event id. */
  sourceId: string;
  writeKeyId?: string;
  receivedAt: Date;
  /** The client's address, used when a message carries no `context.ip`. */
  ip?: string;
  /** How it arrived: `http`, `import`, `webhook`. */
  channel: 'http' | 'import' | 'webhook';
}

/** A message that was not stored; it went to the dead-letter stream with its reason. */
export interface RejectedMessage {
  index: number;
  messageId?: string;
  /** Stable machine-readable reason, e.g. `missing_identity`, `event_too_large`. */
  reason: string;
  detail?: string;
}

/** A message a plugin dropped on purpose (e.g. a bot); it is counted, not stored. */
export interface DroppedMessage {
  index: number;
  messageId?: string;
  reason: string;
}

export interface IngestResult {
  /** Messages durably stored by this call (retries of stored messages included). */
  accepted: number;
  rejected: RejectedMessage[];
  dropped: DroppedMessage[];
}

export interface IngestionPipeline {
  /**
   * Validates, enriches and durably appends the messages; resolves once they are stored. One bad
   * message never fails the others. `messages[i].type` names the call (`track`, `identify`, …).
   */
  ingest(messages: readonly unknown[], source: IngestionSource): Promise<IngestResult>;
}

/** Limits of the Segment HTTP spec. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/**
 * Imported records (a whole order with its line items) may be larger than a tracking call; the
 * event store's 1 MiB per event still bounds them.
 */
export const MAX_IMPORTED_MESSAGE_BYTES = 512 * 1024;
export const MAX_REQUEST_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;
