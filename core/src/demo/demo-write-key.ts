import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UspaConfig } from '../config/config.js';
import { newKeySecret } from '../domain/api-keys.js';
import { createApiKey } from '../keys/api-key-commands.js';
import type { EventStore } from '../ports/event-store.port.js';

/** The write key the demo pages collect with (absent when the demo is off). */
export const DEMO_WRITE_KEY = Symbol('DemoWriteKey');

/**
 * The demo site's write key: the bootstrap write key when one is configured, else a key of its
 * own, created once and kept in the data directory (write keys are public: pages carry them).
 */
export async function seedDemoWriteKey(store: EventStore, config: UspaConfig): Promise<string> {
  if (config.keys.bootstrapWriteKey) return config.keys.bootstrapWriteKey;
  const file = join(config.dataDir, 'demo-write-key');
  let secret: string;
  try {
    secret = (await readFile(file, 'utf8')).trim();
  } catch {
    secret = newKeySecret('write');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
  }
  // Created with its secret, the key's id derives from it: seeding again writes nothing new.
  await createApiKey(store, { type: 'write', name: 'demo site', secret });
  return secret;
}
