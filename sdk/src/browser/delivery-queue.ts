import { BATCH_LIMITS, batchSize, jsonBytes } from '../collect/batch-limits.js';
import { deliveryOutcome, retryAfterMs, retryDelayMs } from '../collect/retry-policy.js';
import { batchBody, type SegmentMessage } from '../collect/segment-message.js';
import { readJson, writeItem } from './browser-storage.js';
import { STORAGE_KEYS } from './visitor-identity.js';

/**
 * Where and how often a {@link DeliveryQueue} sends.
 *
 * @example
 * const options: DeliveryOptions = { url: `${host}/v1/batch`, writeKey, flushAt: 20, flushIntervalMs: 2000 };
 */
export interface DeliveryOptions {
  /** `{host}/v1/batch` */
  url: string;
  writeKey: string;
  flushAt: number;
  flushIntervalMs: number;
}

/** The most messages kept while the server cannot be reached; the oldest go first. */
const MAX_QUEUED = 1000;
/** sendBeacon refuses payloads over 64 KB (the limit is shared by the page's pending beacons). */
const BEACON_BYTES = 60_000;

/**
 * Messages on their way to `POST /v1/batch`: sent when `flushAt` are waiting or `flushIntervalMs`
 * after the first one, one request at a time; kept and retried with backoff after a network
 * error, a 5xx or a 429; dropped after any other 4xx. While active, the queue is mirrored in
 * localStorage so a reload or a crash does not lose it, and it leaves with `sendBeacon` when the
 * page is hidden. Before consent it is inactive: messages wait in memory only.
 *
 * @example
 * const queue = new DeliveryQueue({ url, writeKey, flushAt: 20, flushIntervalMs: 2000 });
 * queue.activate();
 * queue.enqueue(message);
 */
export class DeliveryQueue {
  private messages: SegmentMessage[] = [];
  private active = false;
  private sending = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: DeliveryOptions) {}

  /** Starts delivering: adopts what a previous page left in storage, then flushes. */
  activate(): void {
    if (this.active) return;
    this.active = true;
    const stored = readJson<SegmentMessage[]>(STORAGE_KEYS.queue, []);
    const known = new Set(this.messages.map((message) => message.messageId));
    this.messages = [
      ...stored.filter((message) => !known.has(message.messageId)),
      ...this.messages,
    ];
    this.save();
    void this.flush();
  }

  /** Stops and forgets every waiting message (consent withdrawn or denied). */
  clear(): void {
    this.active = false;
    this.messages = [];
    clearTimeout(this.timer);
    this.timer = undefined;
    writeItem(STORAGE_KEYS.queue, undefined);
  }

  enqueue(message: SegmentMessage): void {
    if (jsonBytes(message) > BATCH_LIMITS.eventBytes) {
      console.warn(`uspa: ${message.type} dropped, larger than 32 KB`);
      return;
    }
    this.messages.push(message);
    if (this.messages.length > MAX_QUEUED) this.messages.shift();
    this.save();
    if (this.messages.length >= this.options.flushAt && this.failures === 0) void this.flush();
    else this.schedule(this.options.flushIntervalMs);
  }

  /** Sends the waiting messages now, batch after batch, unless a request is under way. */
  async flush(): Promise<void> {
    if (!this.active || this.sending || this.messages.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.messages.slice(0, batchSize(this.messages));
    this.sending = true;
    let status: number | undefined;
    let retryAfter: number | undefined;
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        body: batchBody(this.options.writeKey, batch),
        credentials: 'omit',
      });
      status = response.status;
      retryAfter = retryAfterMs(response.headers.get('Retry-After'));
    } catch {
      // No answer: offline, DNS, CORS refusal. Retried like a 5xx.
    }
    this.sending = false;
    const outcome = deliveryOutcome(status);
    if (outcome === 'retry') {
      this.failures++;
      this.schedule(Math.max(retryDelayMs(this.failures), retryAfter ?? 0));
      return;
    }
    if (outcome === 'refused') console.warn(`uspa: ${batch.length} events refused (${status})`);
    this.failures = 0;
    this.remove(batch);
    if (this.messages.length >= this.options.flushAt) void this.flush();
    else if (this.messages.length > 0) this.schedule(this.options.flushIntervalMs);
  }

  /**
   * Hands everything waiting to `navigator.sendBeacon`, which the browser delivers even as the
   * page goes away. What the browser accepts leaves the queue; what it refuses stays in storage
   * for the next page. A request still under way may deliver some messages twice: the server
   * stores a `messageId` once.
   */
  beacon(): void {
    if (!this.active || typeof navigator.sendBeacon !== 'function') return;
    let rest = this.messages;
    while (rest.length > 0) {
      const chunk = rest.slice(0, batchSize(rest, BEACON_BYTES));
      if (!navigator.sendBeacon(this.options.url, batchBody(this.options.writeKey, chunk))) break;
      this.remove(chunk);
      rest = rest.slice(chunk.length);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || !this.active) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private remove(sent: SegmentMessage[]): void {
    const gone = new Set(sent);
    this.messages = this.messages.filter((message) => !gone.has(message));
    this.save();
  }

  private save(): void {
    if (!this.active) return;
    const value = this.messages.length > 0 ? JSON.stringify(this.messages) : undefined;
    writeItem(STORAGE_KEYS.queue, value);
  }
}
