import type { API, Client, Types } from '@opensearch-project/opensearch';
import type { DocumentWrite } from '@uspa/projections';
import { UspaError, ValidationError } from '../../errors/index.js';
import { ID_FIELD } from './opensearch-mapping.js';

export interface BulkOptions {
  /** Writes per `_bulk` request; larger batches are split, in order. */
  chunkSize: number;
  /** `true` refreshes at once, `wait_for` waits for the next scheduled refresh (up to 1 s). */
  refresh: true | 'wait_for';
}

/**
 * Sends writes as `_bulk` requests, one per chunk, in order. A bulk request answers 200 even when
 * documents failed; only its `errors` flag and per-item `error`s tell, so they are checked and the
 * first failure is thrown. Chunks sent before a failed one stay written (projections replay whole
 * batches, and upserts and deletes are idempotent).
 */
export async function bulkWrite(
  client: Client,
  writes: readonly DocumentWrite[],
  indexOf: (collection: string) => string,
  options: BulkOptions,
): Promise<void> {
  for (const write of writes) {
    if (write.op === 'upsert' && Object.hasOwn(write.document, ID_FIELD)) {
      throw new ValidationError(
        `Document ${JSON.stringify(write.id)} has the key ${ID_FIELD}, reserved by the OpenSearch adapter`,
      );
    }
  }
  for (let start = 0; start < writes.length; start += options.chunkSize) {
    const chunk = writes.slice(start, start + options.chunkSize);
    const body = chunk.flatMap((write): API.Bulk_RequestBody => {
      const target = { _index: indexOf(write.collection), _id: write.id };
      return write.op === 'upsert'
        ? [{ index: target }, { ...write.document, [ID_FIELD]: write.id }]
        : [{ delete: target }];
    });
    const response = await client.bulk({ body, refresh: options.refresh });
    if (response.body.errors) throw bulkError(chunk, response.body.items);
  }
}

function bulkError(
  chunk: readonly DocumentWrite[],
  items: Types.Core_Bulk.BulkResponse['items'],
): UspaError {
  // Deleting an absent document is a 404 item without an `error`: not a failure.
  const failed = items.flatMap((item, position) => {
    const result = item.index ?? item.delete;
    return result?.error === undefined ? [] : [{ write: chunk[position]!, error: result.error }];
  });
  const first = failed[0];
  const cause = first === undefined ? 'unknown' : `${first.error.type}: ${first.error.reason}`;
  const where =
    first === undefined
      ? ''
      : ` ${first.write.op} of ${JSON.stringify(first.write.id)} in ${JSON.stringify(first.write.collection)}:`;
  return new UspaError(
    'document_write_failed',
    502,
    `OpenSearch refused ${failed.length} of ${chunk.length} document writes; first:${where} ${cause}`,
    { failed: failed.length },
  );
}
