import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { BATCH_LIMITS, batchSize, jsonBytes } from '../collect/batch-limits.js';
import { deliveryOutcome, retryAfterMs, retryDelayMs } from '../collect/retry-policy.js';
import { batchBody, type SegmentMessage } from '../collect/segment-message.js';
import type { AliasCall, GroupCall, IdentifyCall, PageCall, TrackCall } from './tracking-calls.js';

/**
 * The options of {@link UspaClient}.
 *
 * @example
 * const options: UspaClientOptions = { writeKey, host: 'https://cdp.example.com', flushAt: 100 };
 */
export interface UspaClientOptions {
  writeKey: string;
  /** The USPA server, e.g. `https://cdp.example.com`. */
  host: string;
  /** Send as soon as this many calls wait (default 20). */
  flushAt?: number;
  /** Send at most this long after a call was queued (default 10 s). */
  flushIntervalMs?: number;
  /** Retries of a batch after a network error, a 5xx or a 429 (default 5). */
  maxRetries?: number;
  /** First retry delay, doubled for each further retry, with jitter (default 500 ms). */
  retryBaseMs?: number;
  /** Told about batches given up (refused, or out of retries). Default: a console warning. */
  onError?: (error: UspaDeliveryError) => void;
}

/**
 * A batch the server did not store: refused with a 4xx (`status`), or still failing after
 * every retry.
 *
 * @example
 * new UspaClient({ writeKey, host, onError: (error) => log.warn(error.message, error.messages) });
 */
export class UspaDeliveryError extends Error {
  constructor(
    message: string,
    readonly messages: SegmentMessage[],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UspaDeliveryError';
  }
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const LIBRARY = { name: 'uspa-node', version };

/**
 * Server-side tracking (Segment spec) for Node: calls are queued, sent in batches to
 * `POST {host}/v1/batch`, and retried with backoff on network errors, 5xx and 429. Each call
 * returns its `messageId`. Call `close()` before the process exits: the flush timer does not
 * keep the process alive.
 *
 * @example
 * const client = new UspaClient({ writeKey: process.env.USPA_WRITE_KEY!, host: 'https://cdp.example.com' });
 * client.identify({ userId: 'user-42', traits: { plan: 'pro' } });
 * client.track({ userId: 'user-42', event: 'Order Completed', properties: { total: 42 } });
 * await client.close();
 */
export class UspaClient {
  private queue: SegmentMessage[] = [];
  private sending: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly url: string;
  private readonly options: Required<Omit<UspaClientOptions, 'host'>>;

  constructor(options: UspaClientOptions) {
    this.url = `${options.host.replace(/\/+$/, '')}/v1/batch`;
    this.options = {
      flushAt: 20,
      flushIntervalMs: 10_000,
      maxRetries: 5,
      retryBaseMs: 500,
      onError: (error) => console.warn(`uspa: ${error.message}`),
      ...options,
    };
  }

  track(call: TrackCall): string {
    return this.enqueue('track', call);
  }

  identify(call: IdentifyCall): string {
    return this.enqueue('identify', call);
  }

  page(call: PageCall): string {
    return this.enqueue('page', call);
  }

  group(call: GroupCall): string {
    return this.enqueue('group', call);
  }

  alias(call: AliasCall): string {
    return this.enqueue('alias', call);
  }

  /** Sends everything queued; resolves when each batch is stored or given up. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, batchSize(this.queue));
      this.sending = this.sending.then(() => this.deliver(batch));
    }
    return this.sending;
  }

  /** Flushes and refuses further calls. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private enqueue(
    type: SegmentMessage['type'],
    call: TrackCall | IdentifyCall | PageCall | GroupCall | AliasCall,
  ): string {
    if (this.closed) throw new Error('UspaClient is closed');
    const ids = call as { userId?: unknown; anonymousId?: unknown };
    if (typeof ids.userId !== 'string' && typeof ids.anonymousId !== 'string') {
      throw new TypeError(`${type} needs a userId or an anonymousId`);
    }
    const { messageId = randomUUID(), timestamp = new Date(), context, ...fields } = call;
    const message: SegmentMessage = {
      ...fields,
      type,
      messageId,
      timestamp: new Date(timestamp).toISOString(),
      context: { ...context, library: LIBRARY },
    };
    if (jsonBytes(message) > BATCH_LIMITS.eventBytes) {
      throw new RangeError(`${type} ${messageId} is larger than the server's 32 KB per event`);
    }
    this.queue.push(message);
    if (this.queue.length >= this.options.flushAt) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
    return messageId;
  }

  private async deliver(batch: SegmentMessage[]): Promise<void> {
    const { writeKey, maxRetries, retryBaseMs } = this.options;
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let detail: string;
      let retryAfter: number | undefined;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
          },
          body: batchBody(writeKey, batch),
        });
        status = response.status;
        detail = `${status} ${await response.text()}`;
        retryAfter = retryAfterMs(response.headers.get('Retry-After'));
      } catch (error) {
        detail =
          error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
      }
      const outcome = deliveryOutcome(status);
      if (outcome === 'delivered') return;
      if (outcome === 'refused' || attempt >= maxRetries) {
        const why = outcome === 'refused' ? 'refused' : `failed after ${attempt + 1} attempts`;
        return this.report(
          new UspaDeliveryError(`batch of ${batch.length} ${why}: ${detail}`, batch, status),
        );
      }
      const delay = Math.max(retryDelayMs(attempt + 1, retryBaseMs), retryAfter ?? 0);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private report(error: UspaDeliveryError): void {
    try {
      this.options.onError(error);
    } catch {
      // A failing error handler must not stop delivery of the next batches.
    }
  }
}
