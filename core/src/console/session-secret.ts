import type { UspaConfig } from '../config/config.js';
import { loadDataDirSecret } from '../secrets/data-dir-secret.js';

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
  return loadDataDirSecret(config.dataDir, 'console-session-secret');
}
