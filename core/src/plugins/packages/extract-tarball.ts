import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Unpack, type ReadEntry } from 'tar';
import { invalidPackage, packageTooLarge } from './package-errors.js';
import type { PackageLimits } from './plugin-source.js';

const gunzipAsync = promisify(gunzip);

/** Entries beyond this are refused: a million empty files is a disk and inode bomb. */
const MAX_ENTRIES = 10_000;
/** What a tarball may hold; links could point anywhere on the server. */
const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/**
 * Extracts an `npm pack` tarball (`.tgz`, files under `package/`) into `into`, a fresh directory
 * the caller owns and removes, and returns the package's root (`into/package`).
 *
 * Refused: tarballs over `maxPackedBytes`, unpacked totals over `maxBytes`, absolute paths and
 * `..` (tar's own checks stay on behind ours), links, devices and FIFOs. Gunzip is bounded too,
 * so a gzip bomb stops long before the disk.
 *
 * @example
 * const root = await extractPackageTarball(bytes, await mkdtemp(join(tmpdir(), 'p-')), limits);
 */
export async function extractPackageTarball(
  bytes: Buffer,
  into: string,
  limits: PackageLimits,
): Promise<string> {
  if (bytes.length > limits.maxPackedBytes) {
    throw packageTooLarge(
      `The tarball is ${bytes.length} bytes, more than the limit of ${limits.maxPackedBytes}`,
      limits.maxPackedBytes,
    );
  }
  const tar = await gunzipTar(bytes, limits.maxBytes);
  const check = entryCheck(limits.maxBytes);
  try {
    await unpack(tar, into, check.filter);
  } catch (error) {
    throw check.refusal() ?? invalidPackage(`The tarball cannot be extracted: ${String(error)}`);
  }
  const refusal = check.refusal();
  if (refusal) throw refusal;
  return join(into, 'package');
}

async function gunzipTar(bytes: Buffer, maxBytes: number): Promise<Buffer> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw invalidPackage('The upload is not a gzip-compressed tarball (.tgz, as npm pack makes)');
  }
  // Headers and padding add 512 bytes or more per entry on top of the files' own bytes.
  const maxOutputLength = maxBytes * 2 + 1024 * 1024;
  try {
    return await gunzipAsync(bytes, { maxOutputLength });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw packageTooLarge(`The tarball unpacks to more than ${maxBytes} bytes`, maxBytes);
    }
    throw invalidPackage(`The tarball is not valid gzip: ${(error as Error).message}`);
  }
}

function unpack(tar: Buffer, cwd: string, filter: (path: string, entry: ReadEntry) => boolean) {
  return new Promise<void>((resolve, reject) => {
    const stream = new Unpack({
      cwd,
      filter: (path, entry) => filter(path, entry as ReadEntry),
      // A corrupt archive fails as a whole rather than extracting what it can.
      strict: true,
      // Running as root must not hand files to the uid/gid written in the archive.
      preserveOwner: false,
    });
    stream.on('error', reject);
    stream.on('close', resolve);
    stream.end(tar);
  });
}

/** Checks each entry before tar writes it; the first refusal skips everything after it. */
function entryCheck(maxBytes: number) {
  let refused: Error | undefined;
  let total = 0;
  let count = 0;
  const refuse = (error: Error): false => {
    refused ??= error;
    return false;
  };
  const filter = (path: string, entry: ReadEntry): boolean => {
    if (refused) return false;
    if (/^([a-z]:)?[\\/]/i.test(path) || path.split(/[\\/]/).includes('..')) {
      return refuse(invalidPackage(`The tarball has an entry outside the package: ${path}`));
    }
    if (!ALLOWED_TYPES.has(entry.type)) {
      return refuse(
        invalidPackage(`The tarball entry ${path} is a ${entry.type}: only files and directories`),
      );
    }
    if (++count > MAX_ENTRIES) {
      return refuse(packageTooLarge(`The tarball has more than ${MAX_ENTRIES} entries`, maxBytes));
    }
    total += entry.size;
    if (total > maxBytes) {
      return refuse(
        packageTooLarge(`The tarball unpacks to more than ${maxBytes} bytes`, maxBytes),
      );
    }
    // npm reads only `package/`; anything beside it is not part of the package.
    return path === 'package' || path.startsWith('package/');
  };
  return { filter, refusal: () => refused };
}
