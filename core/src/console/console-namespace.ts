import type { Namespace, Server, Socket } from 'socket.io';
import { opensConsole, type ApiKey } from '../domain/api-keys.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { Logger } from '../ports/logger.port.js';
import type { RecordedEvent } from '../ports/event-store.port.js';
import type { ConsoleSessions } from './console-sessions.js';
import {
  passes,
  parseLiveFilter,
  toLiveEvent,
  type LiveEvent,
  type LiveFilter,
} from './live-event.js';
import type { LiveFeed } from './live-feed.js';
import type { LogTally } from './log-tally.js';
import { sessionOfCookies } from './session-cookie.js';

export const CONSOLE_NAMESPACE = '/console';

const MINUTE = 60_000;

export interface ConsoleNamespaceDeps {
  keys: Pick<ApiKeyDirectory, 'findBySecret' | 'get'>;
  sessions: ConsoleSessions;
  feed: LiveFeed;
  tally: Pick<LogTally, 'refresh' | 'interactionsIn'>;
  logger: Pick<Logger, 'error'>;
}

export interface ConsoleNamespaceOptions {
  /** Events sent to one console per second at most; the rest are dropped and counted. */
  maxEventsPerSecond?: number;
  /** How often each console gets the current minute's count (and its dropped count). */
  tickMs?: number;
}

/** What one console's connection holds. */
interface Viewer {
  socket: Socket;
  keyId: string;
  filter: LiveFilter;
  windowStartedAt: number;
  sentInWindow: number;
  dropped: number;
}

export interface ConsoleLive {
  /** Disconnects every console and stops following the log. */
  close(): Promise<void>;
  connectedConsoles(): number;
}

/**
 * The console's live view on socket.io namespace `/console`. The handshake is authenticated by
 * the session cookie (sent by the browser, same origin) or `auth: { key }` with a console or
 * admin secret key, else refused with `connect_error` "unauthorized". A console then receives:
 *
 * - `live-event` {@link LiveEvent}: each event appended to the log, data over 16 KB truncated,
 *   filtered by what it sent last as `filter` `{ types?, names?, writeKeyId? }` (with an
 *   acknowledgement, it is answered `{ ok }`: false for a malformed filter, which changes nothing);
 * - `minute` `{ minute, count }`: interaction events in the current minute, every `tickMs`;
 * - `dropped` `{ count }`: events beyond `maxEventsPerSecond` it did not get since the last one.
 *
 * A console whose key is revoked (or loses the console scope) is disconnected at the next tick.
 *
 * @example
 * const live = serveConsoleNamespace(io, { keys, sessions, feed, tally, logger });
 * await live.close(); // before the socket.io server closes
 */
export function serveConsoleNamespace(
  io: Server,
  deps: ConsoleNamespaceDeps,
  options: ConsoleNamespaceOptions = {},
): ConsoleLive {
  const maxPerSecond = options.maxEventsPerSecond ?? 200;
  const namespace: Namespace = io.of(CONSOLE_NAMESPACE);
  const viewers = new Map<string, Viewer>();
  let stopListening: (() => void) | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let ticking = false;

  namespace.use((socket, next) => {
    const key = keyOfHandshake(deps, socket.handshake);
    if (!key) return next(new Error('unauthorized'));
    // Follow the log before the handshake completes: an event appended once the console
    // sees `connect` reaches it.
    stopListening ??= deps.feed.listen(deliver);
    socket.data = { keyId: key.id };
    next();
  });

  namespace.on('connection', (socket) => {
    const { keyId } = socket.data as { keyId: string };
    const viewer: Viewer = {
      socket,
      keyId,
      filter: {},
      windowStartedAt: 0,
      sentInWindow: 0,
      dropped: 0,
    };
    viewers.set(socket.id, viewer);
    // Another console may have left between this one's handshake and now.
    stopListening ??= deps.feed.listen(deliver);
    socket.on('filter', (input: unknown, ack?: unknown) => {
      const filter = parseLiveFilter(input);
      if (filter) viewer.filter = filter;
      if (typeof ack === 'function') {
        (ack as (answer: { ok: boolean }) => void)({ ok: filter !== undefined });
      }
    });
    socket.on('disconnect', () => {
      viewers.delete(socket.id);
      if (viewers.size === 0) stopFollowing();
    });
    ticker ??= setInterval(() => void tick([...viewers.values()]), options.tickMs ?? 2000);
    void tick([viewer]);
  });

  function deliver(event: RecordedEvent): void {
    let live: LiveEvent | undefined;
    const now = Date.now();
    for (const viewer of viewers.values()) {
      if (!passes(viewer.filter, event)) continue;
      if (now - viewer.windowStartedAt >= 1000) {
        viewer.windowStartedAt = now;
        viewer.sentInWindow = 0;
      }
      if (viewer.sentInWindow >= maxPerSecond) {
        viewer.dropped += 1;
        continue;
      }
      viewer.sentInWindow += 1;
      live ??= toLiveEvent(event);
      viewer.socket.emit('live-event', live);
    }
  }

  async function tick(targets: readonly Viewer[]): Promise<void> {
    // A first read of a long log can outlast a tick: skip ticks rather than pile reads up.
    if (ticking || targets.length === 0) return;
    ticking = true;
    try {
      await deps.tally.refresh();
      const now = Date.now();
      const minute = now - (now % MINUTE);
      const current = {
        minute: new Date(minute).toISOString(),
        count: deps.tally.interactionsIn(minute),
      };
      for (const viewer of targets) {
        const key = deps.keys.get(viewer.keyId);
        if (!key || !opensConsole(key)) {
          viewer.socket.disconnect(true);
          continue;
        }
        viewer.socket.emit('minute', current);
        if (viewer.dropped > 0) {
          viewer.socket.emit('dropped', { count: viewer.dropped });
          viewer.dropped = 0;
        }
      }
    } catch (error) {
      deps.logger.error({ err: error }, 'counting the minute for the console failed');
    } finally {
      ticking = false;
    }
  }

  function stopFollowing(): void {
    clearInterval(ticker);
    ticker = undefined;
    stopListening?.();
    stopListening = undefined;
  }

  return {
    connectedConsoles: () => viewers.size,
    close: async () => {
      stopFollowing();
      namespace.local.disconnectSockets(true);
      viewers.clear();
      await deps.feed.close();
      await namespace.adapter.close();
    },
  };
}

/** The key a console connects with: `auth.key`, else the session cookie; only console keys. */
function keyOfHandshake(
  deps: Pick<ConsoleNamespaceDeps, 'keys' | 'sessions'>,
  handshake: Socket['handshake'],
): ApiKey | undefined {
  const secret = (handshake.auth as { key?: unknown } | undefined)?.key;
  let key: ApiKey | undefined;
  if (typeof secret === 'string') key = deps.keys.findBySecret(secret);
  else {
    const session = sessionOfCookies(deps.sessions, handshake.headers.cookie);
    key = session && deps.keys.get(session.keyId);
  }
  return key && opensConsole(key) ? key : undefined;
}
