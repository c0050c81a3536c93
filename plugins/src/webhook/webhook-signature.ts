// node:crypto is fine here: built-in plugins run in process, not in the isolate third-party
// plugins get (where only `ctx` exists and an author would sign with a bundled HMAC instead).
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/**
 * The `x-uspa-signature` value of a delivery: `sha256=` and the hex HMAC-SHA256, under the
 * webhook's secret, of `<timestamp>.<body>`. Signing the timestamp with the body is what lets a
 * receiver refuse a captured request replayed later.
 *
 * @example
 * signWebhook('whsec_0123456789abcdef', 1_795_000_000, '{"id":"e-1"}');
 * // 'sha256=5d1c…'
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `${PREFIX}${hmac(secret, String(timestamp), body).toString('hex')}`;
}

/**
 * How strict {@link verifyWebhookSignature} is about time.
 *
 * @example
 * verifyWebhookSignature(secret, timestamp, body, signature, { toleranceSeconds: 60 });
 */
export interface VerifyOptions {
  /** How far the timestamp may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock; default the current time. */
  now?: Date;
}

/**
 * For receivers of USPA webhooks: true when `header` (`x-uspa-signature`) is the signature of
 * `body` at `timestamp` (`x-uspa-timestamp`) under `secret`, and the timestamp is within the
 * tolerance of now. Pass the raw request body, before any JSON parsing. The comparison takes the
 * same time whichever byte differs, so the signature cannot be guessed byte by byte.
 *
 * @example
 * app.post('/hooks/uspa', express.raw({ type: 'application/json' }), (req, res) => {
 *   const ok = verifyWebhookSignature(
 *     process.env.USPA_WEBHOOK_SECRET!,
 *     req.header('x-uspa-timestamp'),
 *     req.body,
 *     req.header('x-uspa-signature'),
 *     { toleranceSeconds: 300 },
 *   );
 *   if (!ok) return res.sendStatus(401);
 *   // handle JSON.parse(req.body), at least once: dedupe by x-uspa-event-id
 *   res.sendStatus(204);
 * });
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Uint8Array,
  header: string | undefined,
  options: VerifyOptions = {},
): boolean {
  const { toleranceSeconds = 300, now = new Date() } = options;
  const seconds = typeof timestamp === 'number' ? timestamp : Number(timestamp);
  if (typeof timestamp === 'string' && !/^\d+$/.test(timestamp)) return false;
  if (!Number.isSafeInteger(seconds)) return false;
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) return false;
  // Buffer.from(…, 'hex') stops at the first bad character, so the form is checked first.
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1];
  if (hex === undefined) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), hmac(secret, String(seconds), body));
}

function hmac(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
