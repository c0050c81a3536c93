import { Router, type Request } from 'express';
import { opensConsole, type ApiKey } from '../domain/api-keys.js';
import { UspaError } from '../errors/index.js';
import { requireSecretKey, unauthorised } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { ConsoleSessions } from './console-sessions.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export interface SessionRouteDeps {
  keys: ApiKeyDirectory;
  sessions: ConsoleSessions;
  throttle: SignInThrottle;
}

/**
 * Console sign-in with a secret key holding `console` or `admin`, kept as an HttpOnly,
 * SameSite=Strict cookie (see `session-cookie.ts` for how the API then accepts it):
 *
 * - `POST /v1/console/session` `{ "key": "uspa_sk_…" }` → 200 `{ keyId, name, scopes }` and
 *   `Set-Cookie: uspa_session=…`; 401 for any other key, 429 after 10 failures a minute
 * - `GET /v1/console/session` → 200 `{ keyId, name, scopes }` of the signed-in key, or 401
 * - `DELETE /v1/console/session` → 204, and the browser forgets the cookie
 *
 * @example
 * app.use(sessionRoutes({ keys, sessions, throttle: new SignInThrottle() }));
 */
export function sessionRoutes({ keys, sessions, throttle }: SessionRouteDeps): Router {
  const router = Router();
  router.post('/v1/console/session', async (request, response) => {
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const retryAfter = throttle.retryAfterSeconds(address);
    if (retryAfter > 0) {
      response.setHeader('Retry-After', String(retryAfter));
      throw new UspaError('too_many_requests', 429, 'Too many failed sign-ins; try again later');
    }
    // JSON only: a cross-site form can post text/plain, never application/json.
    const body = await readJsonBody(request, 4096, { types: ['application/json'] });
    const secret = (body as { key?: unknown } | null)?.key;
    const key = typeof secret === 'string' ? keys.findBySecret(secret) : undefined;
    if (!key || !opensConsole(key)) {
      throttle.failed(address);
      throw unauthorised('Sign in with an active secret key holding the console or admin scope');
    }
    const { token } = sessions.issue(key.id);
    response.setHeader('Set-Cookie', sessionCookie(token, request.secure));
    response.setHeader('Cache-Control', 'no-store');
    response.json(whoIs(key));
  });
  router.get('/v1/console/session', (request, response) => {
    const key = requireSecretKey(keys, request, 'console');
    response.setHeader('Cache-Control', 'no-store');
    response.json(whoIs(key));
  });
  router.delete('/v1/console/session', (request: Request, response) => {
    response.setHeader('Set-Cookie', clearedSessionCookie(request.secure));
    response.status(204).end();
  });
  return router;
}

function whoIs(key: ApiKey): { keyId: string; name: string; scopes: string[] } {
  return { keyId: key.id, name: key.name, scopes: key.scopes };
}
