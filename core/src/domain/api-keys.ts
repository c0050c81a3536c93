import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyType = 'write' | 'secret';

/** Scopes a secret key may carry; write keys only collect. */
export const SECRET_KEY_SCOPES = ['admin', 'profiles:read', 'console'] as const;
export type SecretKeyScope = (typeof SECRET_KEY_SCOPES)[number];

/** A key as USPA keeps it: never the secret itself, only its SHA-256. */
export interface ApiKey {
  id: string;
  type: ApiKeyType;
  name: string;
  /** Events collected with this key are deduplicated within this source. */
  sourceId: string;
  scopes: SecretKeyScope[];
  /** Browser origins allowed to collect with a write key; empty means any. */
  allowedOrigins: string[];
  secretHash: string;
  /** The first characters of the secret, to tell keys apart in lists. */
  prefix: string;
  createdAt: string;
  revokedAt?: string;
}

export const API_KEY_CREATED = 'ApiKeyCreated';
export const API_KEY_REVOKED = 'ApiKeyRevoked';

export type ApiKeyCreated = Omit<ApiKey, 'revokedAt'>;
export interface ApiKeyRevoked {
  id: string;
  revokedAt: string;
  reason?: string;
}

/**
 * A new key secret: a type prefix and 192 random bits, so a hash is enough to store it.
 *
 * @example
 * newKeySecret('write'); // 'uspa_wk_3q2+…'
 */
export function newKeySecret(type: ApiKeyType): string {
  return `${type === 'write' ? 'uspa_wk_' : 'uspa_sk_'}${randomBytes(24).toString('base64url')}`;
}

export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
