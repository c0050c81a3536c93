import { hash, randomBytes } from 'node:crypto';

export type ApiKeyType = 'write' | 'secret';

/**
 * Scopes a secret key may carry; write keys only collect. `admin` and `console` both grant every
 * scope: `console` is for people signing in to the operations console (it may sign in and hold a
 * session cookie), `admin` for automation (scripts, CI, infrastructure), which sends the key
 * itself. Keeping them apart lets an operator revoke one kind without breaking the other.
 */
export const SECRET_KEY_SCOPES = ['admin', 'profiles:read', 'console'] as const;
export type SecretKeyScope = (typeof SECRET_KEY_SCOPES)[number];

/** The scopes that grant every other scope. */
const ALL_SCOPES: readonly SecretKeyScope[] = ['admin', 'console'];

/** Whether a key may act with `scope`: it holds it, or holds `admin` or `console`. */
export function grantsScope(key: Pick<ApiKey, 'scopes'>, scope: SecretKeyScope): boolean {
  return key.scopes.includes(scope) || key.scopes.some((held) => ALL_SCOPES.includes(held));
}

/** Whether a key may sign in to the console: an active secret key with `console` or `admin`. */
export function opensConsole(key: Pick<ApiKey, 'type' | 'scopes' | 'revokedAt'>): boolean {
  return (
    key.type === 'secret' &&
    key.revokedAt === undefined &&
    key.scopes.some((held) => ALL_SCOPES.includes(held))
  );
}

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

/**
 * Hashed on every authenticated request. One-shot `hash`, not `createHash`: each Hash object
 * leaves a native handle for the next young-generation collection to finalise, and at thousands
 * of requests a second those lengthened every pause.
 */
export function hashKeySecret(secret: string): string {
  return hash('sha256', secret);
}
