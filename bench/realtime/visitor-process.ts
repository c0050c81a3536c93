/**
 * The browser side of the realtime benchmark, in a process of its own: one socket.io-client
 * connection per visitor (websocket transport, as browsers end up on), each waiting for its
 * first snapshot before the load starts. Records when each visitor's `changed` putting it into
 * the bench segment arrives, on the shared clock. Talks to its parent over the IPC channel.
 *
 * Run by bench/realtime/visitors.ts: `visitor-process.ts <base url> <clients>`.
 */
import {
  PERSONALIZE_EVENTS,
  PERSONALIZE_NAMESPACE,
  type PersonalizationChange,
  type PersonalizeAuth,
} from '@uspa/sdk';
import { io, type Socket } from 'socket.io-client';
import {
  HERO_SLOT,
  PAGE_URL,
  PLAN_VIEWERS_SEGMENT,
  WRITE_KEY,
  sharedNow,
  visitorId,
} from './realtime-setup.js';

/** Sent by the parent: wait for these visitors' pushes until `deadline` (shared clock). */
export interface CollectRequest {
  collect: string[];
  deadline: number;
}

export type VisitorProcessMessage =
  | { ready: { connected: number; failed: number; seconds: number } }
  | {
      /** Visitor id → when the push naming the bench segment arrived (shared clock). */
      received: Record<string, number>;
      /** Pushes with the segment but without the hero content its rule delivers. */
      withoutHero: number;
      /** Other `changed` messages: nothing in the benchmark should cause one. */
      otherChanges: number;
      disconnects: number;
      /** CPU this process used from the end of connecting, as a share of one core. */
      cpuShare: number;
    };

// A browser opens a handful of connections at once, not a thousand: connect in waves.
const CONNECTING_AT_ONCE = 50;

const [base = '', count = '0'] = process.argv.slice(2);
const received = new Map<string, number>();
let withoutHero = 0;
let otherChanges = 0;
let disconnects = 0;
/** While the parent waits: the visitors whose push has not arrived yet. */
let collecting: { waiting: Set<string>; done: () => void } | undefined;

function send(message: VisitorProcessMessage): void {
  process.send?.(message);
}

function onChanged(anonymousId: string, change: PersonalizationChange): void {
  const at = sharedNow();
  if (!change.segments?.includes(PLAN_VIEWERS_SEGMENT) || received.has(anonymousId)) {
    otherChanges++;
    return;
  }
  received.set(anonymousId, at);
  if (!change.content?.[HERO_SLOT]) withoutHero++;
  collecting?.waiting.delete(anonymousId);
  if (collecting?.waiting.size === 0) collecting.done();
}

/** Resolves once the visitor has its first snapshot; rejects when the handshake fails. */
function connect(anonymousId: string): Promise<Socket> {
  const auth: PersonalizeAuth = { writeKey: WRITE_KEY, anonymousId, url: PAGE_URL };
  const socket = io(`${base}${PERSONALIZE_NAMESPACE}`, {
    auth: { ...auth },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  socket.on(PERSONALIZE_EVENTS.changed, (change: PersonalizationChange) =>
    onChanged(anonymousId, change),
  );
  return new Promise((resolve, reject) => {
    socket.once(PERSONALIZE_EVENTS.snapshot, () => {
      socket.on('disconnect', () => disconnects++);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connectAll(clients: number): Promise<Socket[]> {
  const started = performance.now();
  const sockets: Socket[] = [];
  let failed = 0;
  for (let from = 0; from < clients; from += CONNECTING_AT_ONCE) {
    const wave = Array.from({ length: Math.min(CONNECTING_AT_ONCE, clients - from) }, (_, i) =>
      connect(visitorId(from + i)),
    );
    for (const outcome of await Promise.allSettled(wave)) {
      if (outcome.status === 'fulfilled') sockets.push(outcome.value);
      else failed++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  send({ ready: { connected: sockets.length, failed, seconds } });
  return sockets;
}

function collect(request: CollectRequest): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, Math.max(0, request.deadline - sharedNow()));
    function finish(): void {
      clearTimeout(timer);
      collecting = undefined;
      resolve();
    }
    const waiting = new Set(request.collect.filter((id) => !received.has(id)));
    collecting = { waiting, done: finish };
    if (waiting.size === 0) finish();
  });
}

const sockets = await connectAll(Number(count));
const cpuBefore = process.cpuUsage();
const connectedAt = performance.now();
process.once('message', (request: CollectRequest) => {
  void collect(request).then(() => {
    const cpu = process.cpuUsage(cpuBefore);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - connectedAt);
    const report = { withoutHero, otherChanges, disconnects, cpuShare };
    send({ received: Object.fromEntries(received), ...report });
    for (const socket of sockets) socket.close();
    process.disconnect();
  });
});
