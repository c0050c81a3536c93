import type { EventToAppend } from '../../core/src/ports/event-store.port.js';
import type { EventStore } from '../../core/src/ports/event-store.port.js';
import { browserContext, productPage, viewedProduct } from '../product-viewed.js';

/**
 * A generated history of `profiles` people, `events` interactions in all, as collection stores
 * them: each person browses anonymously, identifies (linking the visitor to the user), then
 * comes back signed in, views products and sometimes orders. Sessions of all people interleave
 * in the log, as live traffic does. Deterministic for a given size.
 */
export async function writeGeneratedLog(
  store: EventStore,
  options: { events: number; profiles: number; concurrency?: number },
): Promise<number> {
  const perProfile = Math.max(4, Math.floor(options.events / options.profiles));
  let written = 0;
  let next = 0;
  const sessions: { stream: string; events: EventToAppend[] }[] = [];
  const rand = mulberry32(42);
  // Build per-person sessions, then shuffle them (keeping each person's sessions in order).
  const queues: { stream: string; events: EventToAppend[] }[][] = [];
  for (let p = 0; p < options.profiles; p++) queues.push(personSessions(p, perProfile));
  const cursors = new Array<number>(queues.length).fill(0);
  let remaining = queues.reduce((sum, q) => sum + q.length, 0);
  while (remaining > 0) {
    const p = Math.floor(rand() * queues.length);
    const queue = queues[p]!;
    const at = cursors[p]!;
    if (at >= queue.length) continue;
    sessions.push(queue[at]!);
    cursors[p] = at + 1;
    remaining--;
  }
  const concurrency = options.concurrency ?? 32;
  // Each worker takes the next session: appends of one person stay in order because a person's
  // next session is only queued after... close enough: sessions are appended in queue order.
  const worker = async (): Promise<void> => {
    while (next < sessions.length) {
      const session = sessions[next++]!;
      await store.append(session.stream, session.events);
      written += session.events.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}

/** A small seeded PRNG (mulberry32): the same log for the same size, run after run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function personSessions(p: number, count: number): { stream: string; events: EventToAppend[] }[] {
  const anonymousId = `visitor-${p}`;
  const userId = `customer-${p}`;
  const start = Date.UTC(2026, 0, 1) + (p % 1000) * 3_600_000;
  let n = 0;
  const at = (): string =>
    new Date(start + n * 7 * 60_000 + Math.floor(n / 5) * 86_400_000).toISOString();
  const anonymous: EventToAppend[] = [];
  const signedIn: EventToAppend[] = [];
  const firstVisit = Math.min(3, count - 1);
  for (; n < firstVisit; n++) anonymous.push(page(p, n, at(), { anonymousId }));
  signedIn.push(identify(p, n++, at(), { anonymousId, userId }));
  for (; n < count; n++) {
    signedIn.push(
      n % 7 === 6
        ? order(p, n, at(), { anonymousId, userId })
        : viewed(p, n, at(), { anonymousId, userId }),
    );
  }
  const sessions = [{ stream: `anon-${anonymousId}`, events: anonymous }];
  for (let i = 0; i < signedIn.length; i += 5) {
    sessions.push({ stream: `user-${userId}`, events: signedIn.slice(i, i + 5) });
  }
  return sessions;
}

type Ids = { anonymousId: string; userId?: string };

function base(p: number, n: number, timestamp: string, ids: Ids): Record<string, unknown> {
  return {
    messageId: `m-${p}-${n}`,
    ...ids,
    timestamp,
    receivedAt: timestamp,
    context: { ...browserContext, page: productPage },
    enrichment: {
      geo: { country: p % 3 === 0 ? 'GB' : 'FR', city: p % 3 === 0 ? 'London' : 'Paris' },
      device: { type: 'desktop', browser: 'Chrome', os: 'macOS' },
      campaign: { channel: 'search', source: 'google' },
      topics: ['baking', p % 2 === 0 ? 'kitchen' : 'garden'],
    },
  };
}

function page(p: number, n: number, timestamp: string, ids: Ids): EventToAppend {
  return {
    type: 'PageViewed',
    data: {
      ...base(p, n, timestamp, ids),
      type: 'page',
      name: 'Product',
      properties: { url: 'https://shop.example.com/p' },
    },
  };
}

function identify(p: number, n: number, timestamp: string, ids: Ids): EventToAppend {
  return {
    type: 'Identified',
    data: {
      ...base(p, n, timestamp, ids),
      type: 'identify',
      traits: {
        email: `customer-${p}@example.com`,
        name: `Customer ${p}`,
        plan: p % 4 === 0 ? 'pro' : 'free',
      },
    },
  };
}

function viewed(p: number, n: number, timestamp: string, ids: Ids): EventToAppend {
  return {
    type: 'Tracked',
    data: {
      ...base(p, n, timestamp, ids),
      type: 'track',
      event: 'Product Viewed',
      properties: { product_id: `SKU-${(p * 31 + n) % 997}`, ...viewedProduct },
    },
  };
}

function order(p: number, n: number, timestamp: string, ids: Ids): EventToAppend {
  return {
    type: 'Tracked',
    data: {
      ...base(p, n, timestamp, ids),
      type: 'track',
      event: 'Order Completed',
      properties: {
        order_id: `o-${p}-${n}`,
        revenue: 20 + (n % 5) * 10,
        products: [{ ...viewedProduct, product_id: `SKU-${n % 997}` }],
      },
    },
  };
}
