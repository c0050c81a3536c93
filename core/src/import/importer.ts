import type { Readable } from 'node:stream';
import type { IngestResult, IngestionPipeline } from '../collect/ingestion.js';
import { ImportError } from './import.errors.js';
import type { ImportMapping } from './mapping/mapping.types.js';
import { csvMessages } from './read/csv-messages.js';
import { ndjsonMessages } from './read/ndjson-messages.js';
import { withMessageId } from './read/message-id.js';
import { openInput } from './read/open-input.js';
import { readLines } from './read/read-lines.js';
import type { ReadCounters, SourceItem } from './read/source-item.js';
import type { ProgressReporter } from './report/import-progress.js';
import { count, emptyTally, type ImportSummary } from './report/import-summary.js';
import type { RejectedFile } from './report/rejected-file.js';

export type ImportFormat = 'ndjson' | 'csv';

export interface ImportRequest {
  file: string;
  format: ImportFormat;
  /** Required for CSV. */
  mapping?: ImportMapping;
  /** The source the messages are stored under: with a messageId it makes the event id. */
  sourceId: string;
  /** Messages per `ingest` call. */
  batchSize?: number;
  /** Batches handed to the pipeline and not yet stored; reading waits beyond that. */
  maxBatchesInFlight?: number;
  rejected: RejectedFile;
  progress?: ProgressReporter;
}

interface Entry {
  line: number;
  message: Record<string, unknown>;
}
type Settled = { batch: Entry[]; result: IngestResult } | { batch: Entry[]; error: unknown };

/**
 * Streams a file through the ingestion pipeline in batches, with at most a couple of batches in
 * flight, so memory stays flat whatever the size of the file. Bad rows are counted and written
 * to the rejected file; only an unreadable file, a mapping that does not fit it, or a failing
 * pipeline (the store is down) make it throw.
 *
 * @example
 * const summary = await importFile(pipeline, {
 *   file: 'orders.csv.gz', format: 'csv', mapping, sourceId: 'import',
 *   rejected: new RejectedFile('orders.rejected.ndjson'),
 * });
 */
export async function importFile(
  pipeline: IngestionPipeline,
  request: ImportRequest,
): Promise<ImportSummary> {
  const { file, format, sourceId, rejected, batchSize = 500, maxBatchesInFlight = 2 } = request;
  const started = performance.now();
  const input = await openInput(file);
  const counters: ReadCounters = { rows: 0 };
  const summary: ImportSummary = {
    file,
    format,
    rowsRead: 0,
    rowsSkipped: emptyTally(),
    messagesBuilt: 0,
    accepted: 0,
    rejected: emptyTally(),
    dropped: emptyTally(),
    durationMs: 0,
    rowsPerSecond: 0,
  };
  const inFlight: Promise<Settled>[] = [];
  const send = (batch: Entry[]): void => {
    const messages = batch.map(({ message }) => message);
    const source = { sourceId, receivedAt: new Date(), channel: 'import' } as const;
    // Settled, never rejected: a failure waits its turn, so no rejection goes unhandled.
    inFlight.push(
      pipeline.ingest(messages, source).then(
        (result) => ({ batch, result }),
        (error: unknown) => ({ batch, error }),
      ),
    );
  };
  const settleOldest = async (): Promise<void> => {
    const settled = await inFlight.shift();
    if (!settled) return;
    if ('error' in settled) throw settled.error;
    await record(settled.batch, settled.result, summary, rejected);
  };
  request.progress?.start(() => ({
    bytesRead: input.bytesRead(),
    totalBytes: input.size,
    rowsRead: counters.rows,
    elapsedMs: performance.now() - started,
  }));
  try {
    let batch: Entry[] = [];
    for await (const item of readItems(file, format, request.mapping, input.stream, counters)) {
      if (item.kind === 'skipped') count(summary.rowsSkipped, item.reason);
      if (item.kind === 'rejected') {
        count(summary.rejected, item.reason);
        const { kind: _kind, ...rest } = item;
        await rejected.write(rest);
      }
      if (item.kind !== 'message') continue;
      summary.messagesBuilt += 1;
      batch.push({ line: item.line, message: withMessageId(item.message) });
      if (batch.length < batchSize) continue;
      send(batch);
      batch = [];
      if (inFlight.length >= maxBatchesInFlight) await settleOldest();
    }
    if (batch.length > 0) send(batch);
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // Never leave the pipeline working for an import that has given up.
    await Promise.all(inFlight);
    request.progress?.stop();
    input.close();
    summary.rejectedFile = await rejected.close();
  }
  summary.rowsRead = counters.rows;
  summary.durationMs = Math.round(performance.now() - started);
  summary.rowsPerSecond = Math.round((summary.rowsRead * 1000) / Math.max(summary.durationMs, 1));
  return summary;
}

/** Reading errors (a truncated .gz, a broken quote) end the import as an {@link ImportError}. */
async function* readItems(
  file: string,
  format: ImportFormat,
  mapping: ImportMapping | undefined,
  stream: Readable,
  counters: ReadCounters,
): AsyncGenerator<SourceItem> {
  try {
    if (format === 'ndjson') {
      yield* ndjsonMessages(readLines(stream), counters);
    } else {
      if (!mapping) throw new ImportError('a CSV import needs a mapping (--mapping <file>)');
      yield* csvMessages(stream, mapping, counters);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function record(
  batch: Entry[],
  result: IngestResult,
  summary: ImportSummary,
  rejected: RejectedFile,
): Promise<void> {
  summary.accepted += result.accepted;
  for (const dropped of result.dropped) count(summary.dropped, dropped.reason);
  for (const { index, reason, detail, messageId } of result.rejected) {
    count(summary.rejected, reason);
    const entry = batch[index];
    const message = entry?.message;
    const id =
      messageId ?? (typeof message?.messageId === 'string' ? message.messageId : undefined);
    await rejected.write({ reason, detail, line: entry?.line ?? 0, messageId: id, message });
  }
}
