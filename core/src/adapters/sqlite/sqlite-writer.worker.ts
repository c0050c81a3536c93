/**
 * The writer thread of the embedded store: owns the write connection, so commits and their syncs
 * happen beside the event loop instead of blocking it. Messages are handled in order.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { UspaError } from '../../errors/index.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { openEventLog, type SqliteSynchronous } from './sqlite-schema.js';
import { transferError } from './store-error-transfer.js';
import { CheckpointedWrites } from './wal-checkpointer.js';
import type { SharedWalCheckpoints } from './wal-checkpoints.js';
import type { WriterRequest, WriterResponse } from './worker-log-writer.js';

const { file, synchronous, checkpoints } = workerData as {
  file: string;
  synchronous: SqliteSynchronous;
  checkpoints?: SharedWalCheckpoints;
};
const db = new Database(file);
openEventLog(db, synchronous);
const log = new SqliteEventLog(db);
const port = parentPort!;
// With a checkpointer thread, checkpoints run there; only a short pass after an answer runs here.
const writes = checkpoints ? new CheckpointedWrites(db, checkpoints) : undefined;

port.on('message', (request: WriterRequest) => {
  let response: WriterResponse;
  try {
    if (request.kind === 'append') {
      const { results, positions } = log.appendBatch(request.requests);
      response = {
        id: request.id,
        results: results.map((result) =>
          result instanceof UspaError ? transferError(result) : result,
        ),
        positions,
      };
    } else if (request.kind === 'delete') {
      log.deleteStream(request.streamId, request.expected, request.tombstone);
      response = { id: request.id, results: [] };
    } else {
      db.close();
      response = { id: request.id, results: [] };
    }
  } catch (error) {
    response = { id: request.id, error: transferError(error) };
  }
  port.postMessage(response);
  if (request.kind !== 'close') writes?.afterCommit();
});
