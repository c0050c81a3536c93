import type { PersonalizationChange, PersonalizationSnapshot } from '@uspa/sdk';
import type { Namespace, Server, Socket } from 'socket.io';
import type { VisitorIdentity } from './personalization.port.js';

/** Messages between the gateway processes of one installation (socket.io `serverSideEmit`). */
export const CLUSTER_EVENTS = {
  profileChanged: 'uspa:profile-changed',
  contentRulesChanged: 'uspa:content-rules-changed',
} as const;

/** Keyed as `PERSONALIZE_EVENTS` names them; emitting through that constant keeps them in step. */
export interface ServerToClientEvents {
  snapshot: (snapshot: PersonalizationSnapshot) => void;
  changed: (change: PersonalizationChange) => void;
}

/** The payload is whatever the client sent: it is checked before use. */
export interface ClientToServerEvents {
  page: (page: unknown) => void;
}

export interface ClusterEvents {
  // Checked on arrival: another process (or another version of USPA) sent it.
  [CLUSTER_EVENTS.profileChanged]: (change: unknown) => void;
  [CLUSTER_EVENTS.contentRulesChanged]: () => void;
}

/** What the handshake established, kept on the socket. */
export interface VisitorSocketData {
  visitor: VisitorIdentity;
  url: string | undefined;
  writeKeyId: string;
}

export type PersonalizeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  ClusterEvents,
  VisitorSocketData
>;
export type PersonalizeNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  ClusterEvents,
  VisitorSocketData
>;
export type PersonalizeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  ClusterEvents,
  VisitorSocketData
>;

/** The rooms a visitor's sockets join, one per identifier a profile change can name. */
export function visitorRooms(visitor: VisitorIdentity): string[] {
  const rooms = [anonymousRoom(visitor.anonymousId)];
  if (visitor.userId !== undefined) rooms.push(userRoom(visitor.userId));
  return rooms;
}

/** The room of a profile identifier key (`anonymous_id:a1`, `user_id:42`), if visitors join one. */
export function roomOfIdentifier(identifier: string): string | undefined {
  if (identifier.startsWith('anonymous_id:')) {
    return anonymousRoom(identifier.slice('anonymous_id:'.length));
  }
  if (identifier.startsWith('user_id:')) return userRoom(identifier.slice('user_id:'.length));
  return undefined;
}

const anonymousRoom = (anonymousId: string): string => `anon:${anonymousId}`;
const userRoom = (userId: string): string => `user:${userId}`;
