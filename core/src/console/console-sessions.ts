import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a console session lasts: a working day, then the operator signs in again. */
export const SESSION_SECONDS = 12 * 60 * 60;

const VERSION = 'v1';

/** What a valid session token says: which key signed in, and until when (epoch seconds). */
export interface ConsoleSession {
  keyId: string;
  expiresAt: number;
}

/**
 * Signs and verifies console session tokens, `v1.<keyId>.<expiresAtSeconds>.<HMAC-SHA256>`.
 * Stateless on purpose: every USPA process holding the same secret accepts the same cookie, and
 * nothing is stored per session. Such a token cannot be revoked by itself; revoking its key ends
 * it, because every use checks that the key is still active and still holds the console scope.
 *
 * @example
 * const sessions = new ConsoleSessions(secret);
 * const { token } = sessions.issue(key.id);
 * sessions.verify(token); // { keyId: key.id, expiresAt: 1767225600 }
 */
export class ConsoleSessions {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  issue(keyId: string): { token: string; session: ConsoleSession } {
    const expiresAt = Math.floor(this.now() / 1000) + SESSION_SECONDS;
    const payload = `${VERSION}.${keyId}.${expiresAt}`;
    return { token: `${payload}.${this.#sign(payload)}`, session: { keyId, expiresAt } };
  }

  /** The session of a token signed here and not expired; undefined for anything else. */
  verify(token: string): ConsoleSession | undefined {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
    const [, keyId = '', expires = '', signature = ''] = parts;
    if (keyId === '' || !/^\d{1,12}$/.test(expires)) return undefined;
    // Compared as text: base64url decoding skips stray characters, which would let a token
    // with an altered signature pass.
    const expected = Buffer.from(this.#sign(`${VERSION}.${keyId}.${expires}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expiresAt = Number(expires);
    if (expiresAt * 1000 <= this.now()) return undefined;
    return { keyId, expiresAt };
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
