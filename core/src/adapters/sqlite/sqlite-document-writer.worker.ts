/**
 * The document writer thread of the embedded read side: owns the write connection of the
 * documents file, so indexing a profile (its body, indexed values, full text and segment view)
 * runs beside the event loop instead of on it. Requests are handled in order; consecutive writes
 * that arrived together share one transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DocumentFileWriter, type DocumentWriterRequest } from './document-file-writer.js';

const writer = new DocumentFileWriter((workerData as { file: string }).file);
const port = parentPort!;
const queue: DocumentWriterRequest[] = [];
let draining = false;

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
    for (const answer of await writer.handle(queue.splice(0))) port.postMessage(answer);
  }
  draining = false;
}
