import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallType } from '@uspa/sdk';
import type { ApiKey } from '../../domain/api-keys.js';
import { UspaError, ValidationError } from '../../errors/index.js';
import { keySecretOf, unauthorised } from '../../http/authenticate.js';
import { sendProblem } from '../../http/problem-details.js';
import { readJsonBody } from '../../http/read-body.js';
import type { ApiKeyDirectory } from '../../keys/api-key-directory.js';
import {
  MAX_BATCH_MESSAGES,
  MAX_REQUEST_BYTES,
  type IngestionPipeline,
  type IngestResult,
} from '../ingestion.js';
import type { Logger } from '../../ports/logger.port.js';
import { allowOrigin, answerPreflight } from './cors.js';

const CALLS: Readonly<Record<string, CallType | 'batch'>> = {
  track: 'track',
  t: 'track',
  identify: 'identify',
  i: 'identify',
  page: 'page',
  p: 'page',
  screen: 'screen',
  s: 'screen',
  group: 'group',
  g: 'group',
  alias: 'alias',
  a: 'alias',
  batch: 'batch',
  b: 'batch',
  import: 'batch',
};

type Body = Record<string, unknown>;

// Some server libraries (RudderStack's, through axios) label their compressed JSON batches as
// form data; the body is JSON all the same.
const TRACKING_BODY_TYPES = [
  'application/json',
  'text/plain',
  '',
  'application/x-www-form-urlencoded',
];

export interface TrackingHandlerOptions {
  /** Take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  logger: Logger;
}

/**
 * The Segment HTTP tracking API: `POST /v1/track|identify|page|screen|group|alias|batch` and the
 * short paths of browser libraries. `200 {"success":true}` only once every accepted message is
 * durably stored; a bad message of a batch is listed in `rejected` and the others are stored.
 *
 * It is the hot path of USPA, so it is a plain `node:http` handler in front of the express app:
 * it returns false for any other request, which the app then serves.
 */
export function trackingHandler(
  pipeline: IngestionPipeline,
  keys: ApiKeyDirectory,
  options: TrackingHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const call = callOf(request.url);
    if (!call) return false;
    if (request.method === 'OPTIONS') {
      answerPreflight(request, response);
      return true;
    }
    if (request.method !== 'POST') return false;
    collect(call, request, response).catch((error: unknown) => {
      if (!(error instanceof UspaError) || error.status >= 500) {
        options.logger.error({ err: error, path: request.url }, 'tracking request failed');
      }
      // Refusals answered before the body was read leave it unread: do not keep the socket.
      if (!request.complete) response.setHeader('Connection', 'close');
      sendProblem(response, error instanceof UspaError ? error : INTERNAL);
    });
    return true;
  };

  async function collect(
    call: CallType | 'batch',
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    const body = await readJsonBody(request, MAX_REQUEST_BYTES, { types: TRACKING_BODY_TYPES });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('The body must be a JSON object');
    }
    const key = writeKeyOf(request, body as Body, keys);
    allowOrigin(request, response, key);
    const messages =
      call === 'batch' ? batchMessages(body as Body) : [{ ...(body as Body), type: call }];
    const result = await pipeline.ingest(messages, {
      sourceId: key.sourceId,
      writeKeyId: key.id,
      receivedAt: new Date(),
      ip: clientIp(request, options.trustProxy),
      channel: 'http',
    });
    if (call !== 'batch' && result.rejected.length > 0) {
      const [rejection] = result.rejected;
      throw new UspaError(rejection!.reason, 400, rejection!.detail ?? rejection!.reason, {
        rejected: result.rejected,
      });
    }
    const json = JSON.stringify(summary(result));
    response.statusCode = 200;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(json));
    response.end(json);
  }
}

const INTERNAL = new UspaError('internal_error', 500, 'An unexpected error occurred');

function callOf(url: string | undefined): CallType | 'batch' | undefined {
  if (!url?.startsWith('/v1/')) return undefined;
  const end = url.indexOf('?');
  const name = url.slice(4, end === -1 ? undefined : end);
  return Object.hasOwn(CALLS, name) ? CALLS[name] : undefined;
}

function clientIp(request: IncomingMessage, trustProxy: boolean): string | undefined {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0]!.trim();
  return request.socket.remoteAddress;
}

function writeKeyOf(request: IncomingMessage, body: Body, keys: ApiKeyDirectory): ApiKey {
  const secret =
    keySecretOf(request) ?? (typeof body.writeKey === 'string' ? body.writeKey : undefined);
  if (!secret) throw unauthorised('A write key is required (HTTP Basic username or writeKey)');
  const key = keys.findBySecret(secret);
  if (!key || key.type !== 'write') throw unauthorised('Unknown or revoked write key');
  return key;
}

/** Batch-level `context` and `sentAt` apply to every message, as in the Segment spec. */
function batchMessages(body: Body): unknown[] {
  const batch = body.batch;
  if (!Array.isArray(batch)) throw new ValidationError('batch must be an array of messages');
  if (batch.length > MAX_BATCH_MESSAGES) {
    throw new UspaError(
      'too_many_events',
      400,
      `A batch holds at most ${MAX_BATCH_MESSAGES} messages; this one has ${batch.length}`,
    );
  }
  const context = isObject(body.context) ? body.context : undefined;
  return batch.map((message: unknown) => {
    if (!isObject(message)) return message;
    return {
      ...message,
      ...(context && {
        context: { ...context, ...(isObject(message.context) ? message.context : {}) },
      }),
      ...(message.sentAt === undefined && body.sentAt !== undefined && { sentAt: body.sentAt }),
    };
  });
}

function summary(result: IngestResult): Record<string, unknown> {
  return {
    success: true,
    ...(result.rejected.length > 0 && { rejected: result.rejected }),
    ...(result.dropped.length > 0 && { dropped: result.dropped }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
