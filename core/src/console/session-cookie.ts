import type { IncomingMessage } from 'node:http';
import { authenticateBySession } from '../http/authenticate.js';
import { SESSION_SECONDS, type ConsoleSession, type ConsoleSessions } from './console-sessions.js';

export const SESSION_COOKIE = 'uspa_session';

/**
 * The header the console sends with every API call. A cross-site form or link cannot set it,
 * and a cross-site script that could would need a CORS preflight the API never grants: with
 * `SameSite=Strict` on the cookie, it is the console's guard against request forgery.
 */
export const CONSOLE_HEADER = { name: 'x-requested-with', value: 'uspa-console' } as const;

/** The value of cookie `name` in a `Cookie` header (no dependency of core parses cookies). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `Set-Cookie` for a new session; `secure` when the browser reached us over https. */
export function sessionCookie(token: string, secure: boolean): string {
  return cookie(`${SESSION_COOKIE}=${token}`, SESSION_SECONDS, secure);
}

/** `Set-Cookie` that makes the browser forget the session. */
export function clearedSessionCookie(secure: boolean): string {
  return cookie(`${SESSION_COOKIE}=`, 0, secure);
}

function cookie(pair: string, maxAge: number, secure: boolean): string {
  return `${pair}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** The valid session in a `Cookie` header, if any. */
export function sessionOfCookies(
  sessions: ConsoleSessions,
  header: string | undefined,
): ConsoleSession | undefined {
  const token = cookieValue(header, SESSION_COOKIE);
  return token === undefined ? undefined : sessions.verify(token);
}

/**
 * Runs in front of every handler: a request without an `Authorization` header, carrying the
 * console header and a valid session cookie, is authenticated as the session's key (which
 * `requireSecretKey` then checks is still active and allowed). Anything else is left alone: the
 * routes answer 401 as they would without a cookie. A plain HMAC check, cheap enough for every
 * request; tracking calls carry no such header and skip it after two header reads.
 *
 * @example
 * const recognise = consoleSessionAuthentication(sessions);
 * http.createServer((request, response) => { recognise(request); app(request, response); });
 */
export function consoleSessionAuthentication(
  sessions: ConsoleSessions,
): (request: IncomingMessage) => void {
  return (request) => {
    const { headers } = request;
    if (headers.authorization !== undefined) return;
    if (headers[CONSOLE_HEADER.name] !== CONSOLE_HEADER.value) return;
    const session = sessionOfCookies(sessions, headers.cookie);
    if (session) authenticateBySession(request, session.keyId);
  };
}
