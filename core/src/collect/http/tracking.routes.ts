import { Router, type Request } from 'express';
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
import { allowOrigin, corsPreflight } from './cors.js';

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

/**
 * The Segment HTTP tracking API: `POST /v1/track|identify|page|screen|group|alias|batch` and the
 * short paths of browser libraries. `200 {"success":true}` only once every accepted message is
 * durably stored; a bad message of a batch is listed in `rejected` and the others are stored.
 */
export function trackingRoutes(pipeline: IngestionPipeline, keys: ApiKeyDirectory): Router {
  const router = Router();
  router.options('/v1/:call', corsPreflight);
  router.post('/v1/:call', async (request, response, next) => {
    const call = CALLS[String(request.params.call)];
    if (!call) {
      next();
      return;
    }
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
      ip: request.ip,
      channel: 'http',
    });
    if (call !== 'batch' && result.rejected.length > 0) {
      const [rejection] = result.rejected;
      sendProblem(
        response,
        new UspaError(rejection!.reason, 400, rejection!.detail ?? rejection!.reason, {
          rejected: result.rejected,
        }),
      );
      return;
    }
    response.json(summary(result));
  });
  return router;
}

function writeKeyOf(request: Request, body: Body, keys: ApiKeyDirectory): ApiKey {
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
