import { createHmac } from 'node:crypto';

/**
 * The proof that a browser's user id is genuine: hex HMAC-SHA256 of `userId` with the
 * workspace's identity secret. Compute it on the site's server (the secret never reaches the
 * browser) and hand it to the page, which passes it to `uspa.identify(userId, traits, { userHash })`
 * so the realtime gateway personalises for that user.
 *
 * @example
 * // In the site's server-rendered page:
 * const hash = userHash(session.userId, process.env.USPA_IDENTITY_SECRET!);
 * html += `<script>uspa.identify(${JSON.stringify(session.userId)}, {}, { userHash: '${hash}' })</script>`;
 */
export function userHash(userId: string, identitySecret: string): string {
  return createHmac('sha256', identitySecret).update(userId, 'utf8').digest('hex');
}
