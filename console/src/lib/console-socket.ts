import { io, type Socket } from 'socket.io-client';

/** An event of the log as the `/console` namespace relays it. */
export interface LiveEvent {
  id: string;
  type: string;
  streamId: string;
  position: number;
  recordedAt: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** Events counted in one minute; `minute` is when that minute began. */
export interface MinuteCount {
  minute: string | number;
  count: number;
}

/** What the server relays; empty or absent fields match everything. */
export interface LiveFilter {
  types?: string[];
  names?: string[];
  writeKeyId?: string;
}

interface ServerEvents {
  'live-event': (event: LiveEvent) => void;
  minute: (point: MinuteCount) => void;
  /** Events the server skipped because this client could not keep up. */
  dropped: (report: { count: number }) => void;
}

interface ClientEvents {
  filter: (filter: LiveFilter) => void;
}

export type ConsoleSocket = Socket<ServerEvents, ClientEvents>;

/**
 * Opens the `/console` namespace with the session cookie. Each page opens its own connection
 * (`forceNew`) and closes it when it goes away, so a filter set on one page never leaks into
 * another and no listener outlives its page.
 */
export function openConsoleSocket(): ConsoleSocket {
  return io('/console', { withCredentials: true, forceNew: true });
}
