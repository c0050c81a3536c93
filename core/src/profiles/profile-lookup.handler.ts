import type { IncomingMessage, ServerResponse } from 'node:http';
import { UspaError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { sendProblem } from '../http/problem-details.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { Logger } from '../ports/logger.port.js';
import type { ProfileQueries } from './profile-queries.js';

const PREFIX = '/v1/profiles/';

/**
 * `GET /v1/profiles/:identifier`, the lookup personalisation calls on every page view, as a plain
 * `node:http` handler in front of the express app (like the tracking API): one key check, one
 * key-value read (the identifier's owner and its profile at once), the JSON. Returns false for
 * any other request, which the app serves (timelines, search and the admin API stay there).
 */
export function profileLookupHandler(
  queries: ProfileQueries,
  keys: ApiKeyDirectory,
  logger: Logger,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const url = request.url;
    if (request.method !== 'GET' || url === undefined || !url.startsWith(PREFIX)) return false;
    const end = url.indexOf('?');
    const raw = url.slice(PREFIX.length, end === -1 ? undefined : end);
    if (raw.length === 0 || raw.includes('/')) return false;
    void answer(raw, request, response);
    return true;
  };

  async function answer(raw: string, request: IncomingMessage, response: ServerResponse) {
    try {
      requireSecretKey(keys, request, 'profiles:read');
      const body = await queries.getJson(decodeIdentifier(raw));
      response.statusCode = 200;
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('Content-Length', Buffer.byteLength(body));
      response.end(body);
    } catch (error) {
      if (error instanceof UspaError) return sendProblem(response, error);
      logger.error({ err: error }, 'profile lookup failed');
      sendProblem(response, new UspaError('internal_error', 500, 'An unexpected error occurred'));
    }
  }
}

function decodeIdentifier(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError('The identifier is not valid URL encoding');
  }
}
