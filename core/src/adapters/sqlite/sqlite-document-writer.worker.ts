/**
 * The document writer thread of the embedded read side: owns the write connection of the
 * documents file, so indexing a profile (its body, indexed values, full text and segment view)
 * runs beside the event loop instead of on it. Requests are handled in order; consecutive writes
 * that arrived together share one transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DocumentWrite } from '@uspa/projections';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import { transferError } from './store-error-transfer.js';
import type {
  DocumentWriterRequest,
  DocumentWriterResponse,
} from './threaded-sqlite-document-store.js';
import { APPLIED_SCHEMA, appliedSeqStatements } from './document-journal.js';

type WritesRequest = Extract<DocumentWriterRequest, { kind: 'writes' }>;

const { file } = workerData as { file: string };
const db = openReadModelDatabase(file);
// An answer lets the read side forget its journal entry: the writes must survive a power cut.
db.pragma('synchronous = FULL');
const store = new SqliteDocumentStore(db, { ownsDatabase: true });
db.exec(APPLIED_SCHEMA);
const { markApplied } = appliedSeqStatements(db);
const port = parentPort!;
const queue: DocumentWriterRequest[] = [];
let draining = false;

const applyGroup = db.transaction((group: readonly WritesRequest[]) => {
  for (const request of group) {
    store.applyWritesSync(JSON.parse(request.writes) as DocumentWrite[]);
  }
  const seq = Math.max(...group.map((request) => request.seq));
  if (seq > 0) markApplied.run(seq);
});

port.on('message', (request: DocumentWriterRequest) => {
  queue.push(request);
  if (draining) return;
  draining = true;
  // Requests that arrive together are handled together: under load, one commit for many.
  setImmediate(() => void drain());
});

/** Handles what has arrived, in order, until nothing is left; answers go back in that order. */
async function drain(): Promise<void> {
  while (queue.length > 0) {
    const requests = queue.splice(0);
    for (let i = 0; i < requests.length;) {
      const request = requests[i]!;
      if (request.kind !== 'writes') {
        await handle(request);
        i++;
        continue;
      }
      let end = i + 1;
      while (end < requests.length && requests[end]!.kind === 'writes') end++;
      writeGroup(requests.slice(i, end) as WritesRequest[]);
      i = end;
    }
  }
  draining = false;
}

function writeGroup(group: readonly WritesRequest[]): void {
  try {
    applyGroup(group);
    for (const request of group) answer({ id: request.id });
  } catch {
    // One bad request must not fail the others: each alone, so only it answers with its error.
    for (const request of group) {
      try {
        applyGroup([request]);
        answer({ id: request.id });
      } catch (error) {
        // Journalled writes that cannot apply are passed over, or a restart would retry them
        // for ever; their caller hears why.
        if (request.seq > 0) markApplied.run(request.seq);
        answer({ id: request.id, error: transferError(error) });
      }
    }
  }
}

async function handle(request: Exclude<DocumentWriterRequest, WritesRequest>): Promise<void> {
  try {
    if (request.kind === 'createCollection') {
      await store.createCollection(request.name, request.mapping);
    } else if (request.kind === 'dropCollection') {
      await store.dropCollection(request.name);
    } else if (request.kind === 'setAlias') {
      await store.setAlias(request.alias, request.collection);
    } else {
      await store.close();
    }
    answer({ id: request.id });
  } catch (error) {
    answer({ id: request.id, error: transferError(error) });
  }
}

function answer(response: DocumentWriterResponse): void {
  port.postMessage(response);
}
