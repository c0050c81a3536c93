import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** One line of the rejected file: what was not stored, where it came from, and why. */
export interface RejectedRecord {
  reason: string;
  detail?: string;
  /** Line of the input (for a group, the line of its first row). */
  line: number;
  messageId?: string;
  /** The message the pipeline rejected. */
  message?: unknown;
  /** The CSV records that did not become a message. */
  rows?: readonly unknown[];
  /** The NDJSON line that did not parse. */
  raw?: string;
}

/**
 * The NDJSON file of rejections. It is created at the first rejection, so a clean import leaves no
 * empty file behind, and writing waits for the disk so that a file of bad rows cannot fill memory.
 *
 * @example
 * const rejected = new RejectedFile('orders.csv.rejected.ndjson');
 * await rejected.write({ reason: 'invalid_json', line: 3, detail: 'Unexpected token' });
 * await rejected.close();
 */
export class RejectedFile {
  #stream: WriteStream | undefined;
  #failure: Error | undefined;
  #count = 0;

  constructor(readonly path: string) {}

  /** How many records were written. */
  get count(): number {
    return this.#count;
  }

  async write(record: RejectedRecord): Promise<void> {
    const stream = this.#open();
    this.#count += 1;
    if (!stream.write(`${JSON.stringify(record)}\n`)) {
      // `once` rejects on 'error'; the failure is kept by the listener below and thrown after.
      await once(stream, 'drain').catch(() => undefined);
    }
    this.#throwIfFailed();
  }

  /** Flushes and closes the file; resolves to its path when anything was written. */
  async close(): Promise<string | undefined> {
    const stream = this.#stream;
    if (!stream) return undefined;
    if (!stream.closed) {
      stream.end();
      await once(stream, 'close').catch(() => undefined);
    }
    this.#throwIfFailed();
    return this.path;
  }

  #open(): WriteStream {
    if (!this.#stream) {
      this.#stream = createWriteStream(this.path);
      this.#stream.on('error', (error) => (this.#failure = error));
    }
    return this.#stream;
  }

  #throwIfFailed(): void {
    if (this.#failure) {
      throw new Error(`cannot write ${this.path}: ${this.#failure.message}`, {
        cause: this.#failure,
      });
    }
  }
}
