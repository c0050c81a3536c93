/**
 * The checkpointer thread of the embedded store: copies the WAL into the database file beside the
 * writer thread, so commits do not wait for it (see `wal-checkpoints.ts`).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { WalCheckpointState, type SharedWalCheckpoints } from './wal-checkpoints.js';

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const { file, checkpoints } = workerData as {
  file: string;
  checkpoints: SharedWalCheckpoints;
};
// The file exists (its writer opened it in WAL mode): never create an empty one in its place.
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const state = WalCheckpointState.attach(checkpoints);

function pass(): void {
  try {
    // PASSIVE: copies what no reader still needs, never waits for the writer or readers.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    // Busy (another connection was checkpointing) reports -1 frames: only the heartbeat counts.
    if (result) state.passed(result.log, result.checkpointed);
  } catch (error) {
    // Not fatal: the next pass tries again, and a writer that hears nothing checkpoints itself.
    parentPort?.postMessage({ kind: 'failed', message: String(error) });
  }
}

const timer = setInterval(pass, state.intervalMs);
parentPort?.postMessage({ kind: 'ready' });
parentPort?.on('message', (message: { kind: 'close' }) => {
  if (message.kind !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort?.postMessage({ kind: 'closed' });
});
