import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newKeySecret, opensConsole } from '../domain/api-keys.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { createApiKey } from '../keys/api-key-commands.js';
import type { EventStore } from '../ports/event-store.port.js';

/**
 * A fresh install has no key that opens the console, so `npm start` would show a sign-in page
 * nobody can pass. The first start then creates one (scope `console`), keeps its secret in
 * `<dataDir>/console-key` (mode 0600, readable by whoever runs USPA) and says where. Once any
 * active key opens the console, nothing is created; the file stays only while its key is active.
 *
 * @returns the file holding a key that opens the console, or undefined when others exist.
 */
export async function ensureFirstConsoleKey(
  store: EventStore,
  keys: ApiKeyDirectory,
  dataDir: string,
): Promise<string | undefined> {
  const file = join(dataDir, 'console-key');
  const kept = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  const keptKey = kept === undefined ? undefined : keys.findBySecret(kept);
  if (keptKey && opensConsole(keptKey)) return file;
  if (keys.list().some(opensConsole)) return undefined;
  const secret = newKeySecret('secret');
  const { key } = await createApiKey(store, {
    type: 'secret',
    name: 'first console key',
    scopes: ['console'],
    secret,
  });
  keys.apply({ type: 'ApiKeyCreated', data: key });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return file;
}
