import { timingSafeEqual } from 'node:crypto';
import { userHash as expectedHash } from '@uspa/sdk';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * True when `userHash` is the hex HMAC-SHA256 of `userId` under `secret` (what the SDK's
 * `userHash` computes on the site's server), compared in constant time.
 *
 * @example
 * isValidUserHash('42', userHash('42', secret), secret); // true
 * isValidUserHash('43', userHash('42', secret), secret); // false
 */
export function isValidUserHash(userId: string, userHash: unknown, secret: string): boolean {
  if (typeof userHash !== 'string' || !HEX_SHA256.test(userHash)) return false;
  const expected = Buffer.from(expectedHash(userId, secret), 'hex');
  return timingSafeEqual(Buffer.from(userHash, 'hex'), expected);
}
