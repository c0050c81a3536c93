import { Router } from 'express';
import { SECRET_KEY_SCOPES, type ApiKey, type SecretKeyScope } from '../domain/api-keys.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { EventStore } from '../ports/event-store.port.js';
import { createApiKey, revokeApiKey } from './api-key-commands.js';
import type { ApiKeyDirectory } from './api-key-directory.js';

/** The key as the API shows it: never the secret, nor its hash. */
export function publicKey(key: ApiKey): Omit<ApiKey, 'secretHash'> {
  const { secretHash: _hidden, ...visible } = key;
  return visible;
}

/**
 * `POST /v1/admin/keys` (the secret is in the answer, once), `GET /v1/admin/keys`,
 * `DELETE /v1/admin/keys/:id` (revoke). All need a secret key with the `admin` scope.
 */
export function apiKeyRoutes(store: EventStore, keys: ApiKeyDirectory): Router {
  const router = Router();
  router.post('/v1/admin/keys', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const body = (await readJsonBody(request, 16 * 1024)) as Record<string, unknown>;
    const type = body?.type;
    if (type !== 'write' && type !== 'secret')
      throw new ValidationError('type must be write or secret');
    const scopes = body.scopes ?? (type === 'secret' ? ['admin'] : []);
    if (
      !Array.isArray(scopes) ||
      !scopes.every((scope) => SECRET_KEY_SCOPES.includes(scope as SecretKeyScope))
    ) {
      throw new ValidationError(`scopes must be a list of ${SECRET_KEY_SCOPES.join(', ')}`);
    }
    const origins = body.allowedOrigins ?? [];
    if (
      !Array.isArray(origins) ||
      !origins.every((o) => typeof o === 'string' && /^https?:\/\/[^/]+$/.test(o))
    ) {
      throw new ValidationError(
        'allowedOrigins must be a list of origins like https://shop.example.com',
      );
    }
    const { key, secret } = await createApiKey(store, {
      type,
      name: typeof body.name === 'string' ? body.name.slice(0, 200) : undefined,
      sourceId: typeof body.sourceId === 'string' ? body.sourceId.slice(0, 128) : undefined,
      scopes: scopes as SecretKeyScope[],
      allowedOrigins: origins as string[],
    });
    keys.apply({ type: 'ApiKeyCreated', data: key });
    response.status(201).json({ ...publicKey(key), key: secret });
  });
  router.get('/v1/admin/keys', (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.json({ keys: keys.list().map(publicKey) });
  });
  router.delete('/v1/admin/keys/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const id = String(request.params.id);
    if (!keys.get(id)) throw new NotFoundError(`No API key ${id}`);
    const revoked = await revokeApiKey(store, id);
    keys.apply({ type: 'ApiKeyRevoked', data: revoked });
    response.json(publicKey(keys.get(id)!));
  });
  return router;
}
