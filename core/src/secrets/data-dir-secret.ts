import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * 32 random bytes kept in `<dataDir>/<name>`, created on the first start (readable by its owner
 * only). Processes sharing the data directory, and restarts, get the same bytes.
 *
 * @example
 * const key = await loadDataDirSecret('./data', 'console-session-secret');
 */
export async function loadDataDirSecret(dataDir: string, name: string): Promise<Buffer> {
  const file = join(dataDir, name);
  const existing = await readSecret(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  try {
    // `wx`: of two processes starting together on one data directory, one creates the file
    // and the other reads it, so both use the same secret.
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // The other process may not have written its bytes yet: give it a moment.
  for (let attempt = 0; attempt < 20; attempt++) {
    const created = await readSecret(file);
    if (created) return created;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${file} holds no secret`);
}

async function readSecret(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return text === '' ? undefined : Buffer.from(text, 'base64url');
}
