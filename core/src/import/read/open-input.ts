import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from '../import.errors.js';

export interface ImportInput {
  /** The file's bytes, decompressed when its name ends in `.gz`. */
  stream: Readable;
  /** Size on disk: with {@link bytesRead} it gives progress, compressed or not. */
  size: number;
  /** Bytes of the file (compressed ones for `.gz`) read so far. */
  bytesRead(): number;
  /** Stops reading and releases the file. */
  close(): void;
}

/**
 * Checks that the file can be imported before anything else starts, with one clear message.
 *
 * @example
 * await assertReadableFile('orders.csv.gz');
 */
export async function assertReadableFile(file: string): Promise<number> {
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new Error('not a file');
    return stats.size;
  } catch (error) {
    throw new ImportError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Opens the file as a stream, through `zlib.createGunzip` when its name ends in `.gz`. */
export async function openInput(file: string): Promise<ImportInput> {
  const size = await assertReadableFile(file);
  const source: ReadStream = createReadStream(file);
  const stream = new PassThrough();
  // pipeline() destroys every stage on failure, so a read or gunzip error ends the iteration of
  // `stream` with that error instead of leaving it waiting forever.
  const done = (): void => undefined;
  if (file.endsWith('.gz')) pipeline(source, createGunzip(), stream, done);
  else pipeline(source, stream, done);
  return {
    stream,
    size,
    bytesRead: () => source.bytesRead,
    close: () => {
      source.destroy();
      stream.destroy();
    },
  };
}
