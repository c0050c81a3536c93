import type { PersonalizeRefusal } from '@uspa/sdk';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { Logger } from '../ports/logger.port.js';
import type { PersonalizationSource, ProfileChange } from './personalization.port.js';
import {
  roomOfIdentifier,
  visitorRooms,
  type PersonalizeNamespace,
  type PersonalizeSocket,
} from './personalize-socket.js';
import type { RealtimeMetrics } from './realtime-metrics.js';
import { decideHandshake, pageUrl } from './visitor-handshake.js';
import { VisitorSession } from './visitor-session.js';

export interface PersonalizeNamespaceDeps {
  keys: Pick<ApiKeyDirectory, 'findBySecret'>;
  source: PersonalizationSource;
  metrics: RealtimeMetrics;
  log: Logger;
  identitySecret: string | undefined;
}

/** What the gateway does to the visitors connected to this process. */
export interface LocalVisitors {
  /** Sends the change to every local visitor the profile's identifiers name. */
  applyProfileChange(change: ProfileChange): void;
  /** Recomputes the content of every local visitor. */
  refreshAll(): void;
  /**
   * Ends the connections let in with a write key that has been revoked. A disconnect from the
   * server is not retried by socket.io's client, and a new handshake with that key is refused.
   */
  disconnectKey(keyId: string): void;
}

/**
 * Serves the personalize namespace: checks each handshake, joins the visitor's rooms, sends the
 * first snapshot and a new one on every navigation.
 *
 * @example
 * const visitors = servePersonalizeNamespace(io.of(PERSONALIZE_NAMESPACE), deps);
 * feed.onProfileChanged((change) => visitors.applyProfileChange(change));
 */
export function servePersonalizeNamespace(
  namespace: PersonalizeNamespace,
  deps: PersonalizeNamespaceDeps,
): LocalVisitors {
  const sessions = new Map<string, VisitorSession>();

  namespace.use((socket, next) => {
    const outcome = decideHandshake(
      { auth: socket.handshake.auth, origin: originOf(socket) },
      deps.keys,
      deps.identitySecret,
    );
    if (!outcome.accepted) {
      deps.metrics.refused(outcome.refusal.code);
      next(refusalError(outcome.refusal));
      return;
    }
    socket.data = { visitor: outcome.visitor, url: outcome.url, writeKeyId: outcome.writeKeyId };
    next();
  });

  namespace.on('connection', (socket) => {
    const session = new VisitorSession(socket, deps.source, deps.metrics, deps.log);
    sessions.set(socket.id, session);
    deps.metrics.clientConnected();
    void socket.join(visitorRooms(socket.data.visitor));
    socket.on('page', (page: unknown) => {
      const url =
        typeof page === 'object' && page !== null ? pageUrl(Reflect.get(page, 'url')) : undefined;
      if (url === undefined) return;
      socket.data.url = url;
      session.sendSnapshot(url);
    });
    socket.on('disconnect', () => {
      sessions.delete(socket.id);
      deps.metrics.clientDisconnected();
    });
    session.sendSnapshot(socket.data.url);
  });

  const sessionsNamedBy = (change: ProfileChange): VisitorSession[] => {
    const ids = new Set<string>();
    for (const identifier of change.identifiers) {
      const room = roomOfIdentifier(identifier);
      // The adapter's rooms are this process's sockets only, whatever the adapter.
      for (const id of (room && namespace.adapter.rooms.get(room)) || []) ids.add(id);
    }
    return [...ids].flatMap((id) => sessions.get(id) ?? []);
  };

  return {
    applyProfileChange: (change) => {
      for (const session of sessionsNamedBy(change)) session.applySegments(change.segments);
    },
    refreshAll: () => {
      for (const session of sessions.values()) session.refreshContent();
    },
    disconnectKey: (keyId) => {
      for (const socket of namespace.sockets.values()) {
        if (socket.data.writeKeyId === keyId) socket.disconnect(true);
      }
    },
  };
}

function originOf(socket: PersonalizeSocket): string | undefined {
  const origin = socket.handshake.headers.origin;
  return typeof origin === 'string' && origin.length > 0 ? origin : undefined;
}

/** socket.io hands an error's `data` to the client's `connect_error`. */
function refusalError(refusal: PersonalizeRefusal): Error & { data: PersonalizeRefusal } {
  return Object.assign(new Error(refusal.message), { data: refusal });
}
