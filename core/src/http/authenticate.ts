import type { IncomingMessage } from 'node:http';
import type { ApiKey, SecretKeyScope } from '../domain/api-keys.js';
import { UspaError } from '../errors/index.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';

/** The key secret of a request: HTTP Basic username (Segment style) or a Bearer token. */
export function keySecretOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value.trim() || undefined;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user || undefined;
  }
  return undefined;
}

export function unauthorised(message: string): UspaError {
  return new UspaError('unauthorized', 401, message);
}

/** The secret key of an admin or API request, with the scope it needs. */
export function requireSecretKey(
  directory: ApiKeyDirectory,
  request: IncomingMessage,
  scope: SecretKeyScope,
): ApiKey {
  const secret = keySecretOf(request);
  if (!secret) throw unauthorised('A secret key is required (Authorization: Bearer <key>)');
  const key = directory.findBySecret(secret);
  if (!key || key.type !== 'secret') throw unauthorised('Unknown or revoked secret key');
  if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
    throw new UspaError('forbidden', 403, `This key lacks the ${scope} scope`);
  }
  return key;
}
