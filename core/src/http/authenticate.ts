import type { IncomingMessage } from 'node:http';
import { grantsScope, opensConsole, type ApiKey, type SecretKeyScope } from '../domain/api-keys.js';
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

/**
 * Requests a console session cookie vouched for, with the id of the key that signed in. Keyed by
 * the request object, so it lives exactly as long as the request and needs no registry: the
 * session check (`console/`) runs in front of every handler, and every route's
 * {@link requireSecretKey} keeps its signature and stays synchronous.
 */
const sessionKeyIds = new WeakMap<IncomingMessage, string>();

/** Marks `request` as signed in through a verified console session of key `keyId`. */
export function authenticateBySession(request: IncomingMessage, keyId: string): void {
  sessionKeyIds.set(request, keyId);
}

/**
 * The secret key of an admin or API request, with the scope it needs: the key in the
 * `Authorization` header, or, without that header, the key of a verified console session
 * (checked again here, so a key revoked or stripped of its console scope stops working at once).
 */
export function requireSecretKey(
  directory: ApiKeyDirectory,
  request: IncomingMessage,
  scope: SecretKeyScope,
): ApiKey {
  const secret = keySecretOf(request);
  const key = secret ? directory.findBySecret(secret) : sessionKeyOf(directory, request);
  if (!key || key.type !== 'secret') throw unauthorised(refusal(secret, request));
  if (!grantsScope(key, scope)) {
    throw new UspaError('forbidden', 403, `This key lacks the ${scope} scope`);
  }
  return key;
}

function refusal(secret: string | undefined, request: IncomingMessage): string {
  if (secret) return 'Unknown or revoked secret key';
  if (sessionKeyIds.has(request)) {
    return 'The key of this console session is revoked or no longer holds the console scope';
  }
  return 'A secret key is required (Authorization: Bearer <key>)';
}

function sessionKeyOf(directory: ApiKeyDirectory, request: IncomingMessage): ApiKey | undefined {
  const keyId = sessionKeyIds.get(request);
  const key = keyId === undefined ? undefined : directory.get(keyId);
  return key && opensConsole(key) ? key : undefined;
}
