import type { Server as HttpServer } from 'node:http';
import { PERSONALIZE_NAMESPACE } from '@uspa/sdk';
import { Server } from 'socket.io';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { Logger } from '../ports/logger.port.js';
import type {
  PersonalizationFeed,
  PersonalizationSource,
  ProfileChange,
} from './personalization.port.js';
import { servePersonalizeNamespace } from './personalize-namespace.js';
import { CLUSTER_EVENTS, type PersonalizeServer } from './personalize-socket.js';
import { NO_REALTIME_METRICS, type RealtimeMetrics } from './realtime-metrics.js';
import { openRedisFanOut, type RedisFanOutOptions } from './redis-fan-out.js';
import { isProfileChange } from './profile-change.js';

export interface RealtimeGatewayDeps {
  keys: Pick<ApiKeyDirectory, 'findBySecret' | 'onRevoked'>;
  source: PersonalizationSource;
  /** Changes seen by this process; they reach the visitors of every process. */
  feed: PersonalizationFeed;
  logger: Logger;
  metrics?: RealtimeMetrics;
}

export interface RealtimeGatewayOptions {
  /** Proves user ids (HMAC-SHA256); without it, a handshake claiming a user id is refused. */
  identitySecret?: string;
  /** Fan out to the gateways of other processes through Redis; without it, this process only. */
  redis?: RedisFanOutOptions;
}

export interface RealtimeGateway {
  /** Disconnects every visitor and stops the fan-out; leaves the HTTP server to its owner. */
  close(): Promise<void>;
  /** Visitors connected to this process. */
  connectedClients(): number;
  /**
   * The socket.io server, for other namespaces on the same endpoint and HTTP server (the
   * console's `/console`). Close them before the gateway: its close ends every connection.
   */
  readonly io: Server;
}

/**
 * Serves realtime personalization (socket.io, path `/socket.io`, namespace `/personalize`) on an
 * existing HTTP server. A profile change or a content rule change seen by this process is applied
 * to its own visitors directly and sent to the other processes with `serverSideEmit`, which
 * never comes back to its sender, so each visitor gets it once.
 *
 * @example
 * const gateway = await attachRealtimeGateway(running.server, { keys, source, feed, logger }, {
 *   identitySecret: config.realtime.identitySecret,
 *   redis: { url: 'redis://127.0.0.1:6379', channelPrefix: 'uspa:realtime' },
 * });
 * // on shutdown, before the HTTP server closes:
 * await gateway.close();
 */
export async function attachRealtimeGateway(
  httpServer: HttpServer,
  deps: RealtimeGatewayDeps,
  options: RealtimeGatewayOptions = {},
): Promise<RealtimeGateway> {
  const log = deps.logger.child({ module: 'realtime' });
  const fanOut = options.redis ? await openRedisFanOut(options.redis, log) : undefined;
  let closing = false;
  const io: PersonalizeServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 32 * 1024,
    // Any page may open the transport, as any page may send a tracking preflight: the write
    // key, and so its origin allow-list, is only known in the namespace handshake below.
    cors: { origin: true },
    allowRequest: (_request, answer) => answer(closing ? 'Shutting down' : null, !closing),
    ...(fanOut && { adapter: fanOut.adapter }),
  });
  io.use((_socket, next) => next(new Error(`Connect to ${PERSONALIZE_NAMESPACE}`)));
  const namespace = io.of(PERSONALIZE_NAMESPACE);
  const visitors = servePersonalizeNamespace(namespace, {
    keys: deps.keys,
    source: deps.source,
    metrics: deps.metrics ?? NO_REALTIME_METRICS,
    log,
    identitySecret: options.identitySecret,
  });

  const guarded =
    <A extends unknown[]>(what: string, apply: (...args: A) => void) =>
    (...args: A): void => {
      try {
        apply(...args);
      } catch (error) {
        log.error({ err: error }, `Delivering a ${what} failed`);
      }
    };
  const stopFeed = [
    deps.feed.onProfileChanged(
      guarded('profile change', (change: ProfileChange) => visitors.applyProfileChange(change)),
    ),
    // Only once committed: the other processes read the visitor's segments from the read model.
    deps.feed.onProfileCommitted(
      guarded('profile change', (change: ProfileChange) => {
        if (fanOut) namespace.serverSideEmit(CLUSTER_EVENTS.profileChanged, change);
      }),
    ),
    deps.feed.onContentRulesChanged(
      guarded('content rule change', () => {
        visitors.refreshAll();
        if (fanOut) namespace.serverSideEmit(CLUSTER_EVENTS.contentRulesChanged);
      }),
    ),
    deps.feed.onContentTimeReached(guarded('content schedule', () => visitors.refreshAll())),
    // Every process follows the key streams, so each ends its own visitors' connections.
    deps.keys.onRevoked(
      guarded('key revocation', (keyId: string) => visitors.disconnectKey(keyId)),
    ),
  ];
  if (fanOut) {
    namespace.on(
      CLUSTER_EVENTS.profileChanged,
      guarded('profile change from another process', (change: unknown) => {
        if (isProfileChange(change)) visitors.applyProfileChange(change);
        else log.warn({ change }, 'Ignored a malformed profile change from another process');
      }),
    );
    namespace.on(
      CLUSTER_EVENTS.contentRulesChanged,
      guarded('content rule change', () => visitors.refreshAll()),
    );
    await fanOut.subscribed();
  }

  let closed: Promise<void> | undefined;
  return {
    connectedClients: () => namespace.sockets.size,
    io,
    close: () => {
      closed ??= (async () => {
        closing = true;
        for (const stop of stopFeed) stop();
        namespace.local.disconnectSockets(true);
        await Promise.allSettled([namespace.adapter.close(), io.of('/').adapter.close()]);
        io.engine.close();
        await fanOut?.close();
      })();
      return closed;
    },
  };
}
