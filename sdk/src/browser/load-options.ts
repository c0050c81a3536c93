/**
 * The options of `uspa.load()`.
 *
 * @example
 * const options: LoadOptions = { host: 'https://cdp.example.com', consent: 'required', flushAt: 10 };
 * uspa.load('uspa_wk_…', options);
 */
export interface LoadOptions {
  /** The USPA server, e.g. `https://cdp.example.com` (no trailing slash needed). */
  host: string;
  /** `required`: send and store nothing until `consent(true)`. Default `granted`. */
  consent?: 'granted' | 'required';
  /** Send as soon as this many events wait (default 20). */
  flushAt?: number;
  /** Send at most this long after an event was queued (default 2000 ms). */
  flushIntervalMs?: number;
  /** Connect to the realtime gateway even without slots or listeners on the page. */
  personalize?: boolean;
  /** Where `uspa-realtime.js` is served (default `{host}/sdk/uspa-realtime.js`). */
  realtimeUrl?: string;
}

/**
 * Where consent stands: `pending` until granted or denied when the site requires consent.
 *
 * @example
 * if (uspa.consent() === 'pending') banner.hidden = false;
 */
export type ConsentState = 'pending' | 'granted' | 'denied';
