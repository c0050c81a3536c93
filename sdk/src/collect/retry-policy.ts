/**
 * What a batch request's outcome means for the messages in it:
 * - `delivered`: 2xx, durably stored;
 * - `refused`: a 4xx other than 429, the server will never accept them, so they are dropped;
 * - `retry`: 429, 5xx or no answer at all (network, CORS, offline): send them again later.
 *
 * @example
 * const outcome: DeliveryOutcome = deliveryOutcome(response.status);
 */
export type DeliveryOutcome = 'delivered' | 'refused' | 'retry';

/**
 * Classifies a response status; `undefined` stands for "no response".
 *
 * @example
 * deliveryOutcome(503); // 'retry'
 * deliveryOutcome(400); // 'refused'
 */
export function deliveryOutcome(status: number | undefined): DeliveryOutcome {
  if (status === undefined || status === 429 || status >= 500) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  return 'refused';
}

/**
 * Exponential backoff with jitter: after the n-th failed attempt (1, 2, …) wait between half and
 * all of `baseMs · 2^(n-1)`, capped at `maxMs`. The jitter spreads the retries of many browsers
 * after an outage so they do not hit the server in one wave.
 *
 * @example
 * setTimeout(flush, retryDelayMs(attempt)); // 500–1000 ms, then 1–2 s, 2–4 s, …
 */
export function retryDelayMs(
  attempt: number,
  baseMs = 1000,
  maxMs = 30_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) in milliseconds, if it holds one.
 *
 * @example
 * retryAfterMs('2'); // 2000
 */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
