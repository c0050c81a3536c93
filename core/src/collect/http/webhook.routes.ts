import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { derivedEventId } from '../../domain/event-ids.js';
import { streamOf } from '../../domain/streams.js';
import { WEBHOOK_RECEIVED } from '../../domain/tracking-events.js';
import { ValidationError } from '../../errors/index.js';
import { keySecretOf, unauthorised } from '../../http/authenticate.js';
import { readJsonBody } from '../../http/read-body.js';
import type { ApiKeyDirectory } from '../../keys/api-key-directory.js';
import type { EventStore } from '../../ports/event-store.port.js';

const MAX_WEBHOOK_BYTES = 256 * 1024;
const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const IDEMPOTENCY_HEADERS = [
  'idempotency-key',
  'x-idempotency-key',
  'x-request-id',
  'x-webhook-id',
];

/**
 * `POST /v1/webhooks/:source`: stores any JSON body from another system as a `WebhookReceived`
 * event in `webhook-<source>`, for plugins to turn into interactions later. A delivery id header
 * (Idempotency-Key, X-Request-Id, X-Webhook-Id) makes redeliveries store once.
 */
export function webhookRoutes(store: EventStore, keys: ApiKeyDirectory): Router {
  const router = Router();
  router.post('/v1/webhooks/:source', async (request, response) => {
    const source = String(request.params.source);
    if (!SOURCE_NAME.test(source)) {
      throw new ValidationError('The webhook source must be 1–64 letters, digits, - or _');
    }
    const secret =
      keySecretOf(request) ??
      (typeof request.query.writeKey === 'string' ? request.query.writeKey : undefined);
    const key = secret ? keys.findBySecret(secret) : undefined;
    if (!key || key.type !== 'write') throw unauthorised('A valid write key is required');
    const body = await readJsonBody(request, MAX_WEBHOOK_BYTES);
    const deliveryHeader = IDEMPOTENCY_HEADERS.find(
      (name) => typeof request.headers[name] === 'string',
    );
    const deliveryId = deliveryHeader ? String(request.headers[deliveryHeader]) : undefined;
    const receivedAt = new Date().toISOString();
    await store.append(streamOf.webhook(source), [
      {
        id: deliveryId ? derivedEventId('webhook', key.sourceId, source, deliveryId) : randomUUID(),
        type: WEBHOOK_RECEIVED,
        data: {
          source,
          receivedAt,
          ...(deliveryId && { deliveryId }),
          contentType: request.headers['content-type'],
          userAgent: request.headers['user-agent'],
          body,
        },
        metadata: { receivedAt, source: key.sourceId, writeKeyId: key.id, channel: 'webhook' },
      },
    ]);
    response.json({ success: true });
  });
  return router;
}
