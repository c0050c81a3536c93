import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UspaConfig } from '../config/config.js';

const FILE = 'console-session-secret';

/**
 * The key that signs console session cookies: `console.sessionSecret` when configured (processes
 * with data directories of their own share it that way), else 32 random bytes kept in
 * `<dataDir>/console-session-secret`, created on the first start. Processes sharing the data
 * directory, and restarts, keep accepting the same cookies.
 *
 * @example
 * const sessions = new ConsoleSessions(await loadSessionSecret(config));
 */
export async function loadSessionSecret(
  config: Pick<UspaConfig, 'dataDir'> & { console: Pick<UspaConfig['console'], 'sessionSecret'> },
): Promise<Buffer> {
  if (config.console.sessionSecret) return Buffer.from(config.console.sessionSecret, 'utf8');
  const file = join(config.dataDir, FILE);
  const existing = await readSecret(file);
  if (existing) return existing;
  await mkdir(config.dataDir, { recursive: true });
  try {
    // `wx`: of two processes starting together on one data directory, one creates the file
    // and the other reads it, so both sign with the same key.
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
  throw new Error(`${file} holds no console session secret`);
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
