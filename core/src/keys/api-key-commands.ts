import { randomUUID } from 'node:crypto';
import {
  API_KEY_CREATED,
  API_KEY_REVOKED,
  hashKeySecret,
  newKeySecret,
  type ApiKeyCreated,
  type ApiKeyRevoked,
  type ApiKeyType,
  type SecretKeyScope,
} from '../domain/api-keys.js';
import { derivedEventId } from '../domain/event-ids.js';
import { streamOf } from '../domain/streams.js';
import { NotFoundError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';

export interface CreateApiKey {
  type: ApiKeyType;
  name?: string;
  sourceId?: string;
  scopes?: SecretKeyScope[];
  allowedOrigins?: string[];
  /** A given secret (bootstrap keys); otherwise a new random one. */
  secret?: string;
}

/**
 * Creates a key as an `ApiKeyCreated` event and returns the secret, which is shown once and never
 * stored. A given secret always yields the same key id, so seeding it again writes nothing.
 */
export async function createApiKey(
  store: EventStore,
  command: CreateApiKey,
  now = new Date(),
): Promise<{ key: ApiKeyCreated; secret: string }> {
  const secret = command.secret ?? newKeySecret(command.type);
  const secretHash = hashKeySecret(secret);
  const id = command.secret ? derivedEventId('apikey', secretHash) : randomUUID();
  const key: ApiKeyCreated = {
    id,
    type: command.type,
    name: command.name ?? `${command.type} key`,
    sourceId: command.sourceId ?? id,
    scopes: command.type === 'secret' ? (command.scopes ?? ['admin']) : [],
    allowedOrigins: command.allowedOrigins ?? [],
    secretHash,
    prefix: secret.slice(0, 12),
    createdAt: now.toISOString(),
  };
  await store.append(streamOf.apiKey(id), [
    { id: derivedEventId('apikey-created', id), type: API_KEY_CREATED, data: key },
  ]);
  return { key, secret };
}

export async function revokeApiKey(
  store: EventStore,
  id: string,
  reason?: string,
  now = new Date(),
): Promise<ApiKeyRevoked> {
  const { status } = await store.readStream(streamOf.apiKey(id), { maxCount: 1 });
  if (status !== 'ok') throw new NotFoundError(`No API key ${id}`);
  const revoked: ApiKeyRevoked = { id, revokedAt: now.toISOString(), ...(reason && { reason }) };
  await store.append(streamOf.apiKey(id), [
    { id: derivedEventId('apikey-revoked', id), type: API_KEY_REVOKED, data: revoked },
  ]);
  return revoked;
}
