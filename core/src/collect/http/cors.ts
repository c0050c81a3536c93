import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKey } from '../../domain/api-keys.js';
import { UspaError } from '../../errors/index.js';

/**
 * Browsers send a preflight without credentials, so it is answered for any origin; the real
 * request is then checked against the write key's origin allow-list.
 */
export function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (origin) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Vary', 'Origin');
  }
  response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
  response.setHeader('Access-Control-Max-Age', '86400');
  response.statusCode = 204;
  response.end();
}

/** Allows the request's origin for this key, or refuses the request with 403. */
export function allowOrigin(request: IncomingMessage, response: ServerResponse, key: ApiKey): void {
  const origin = request.headers.origin;
  if (!origin) return;
  if (key.allowedOrigins.length > 0 && !key.allowedOrigins.includes(origin)) {
    throw new UspaError('origin_not_allowed', 403, `Origin ${origin} may not use this write key`);
  }
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Vary', 'Origin');
}
