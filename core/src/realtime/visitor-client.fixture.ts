/** A real socket.io-client visitor for the realtime gateway tests. */
import {
  PERSONALIZE_NAMESPACE,
  type PersonalizationChange,
  type PersonalizationSnapshot,
  type PersonalizeRefusal,
} from '@uspa/sdk';
import { io, type Socket } from 'socket.io-client';

export type Received =
  | { event: 'snapshot'; payload: PersonalizationSnapshot }
  | { event: 'changed'; payload: PersonalizationChange };

export interface VisitorClientOptions {
  origin?: string;
  transports?: ('polling' | 'websocket')[];
}

/**
 * Connects to `base` with `auth` and keeps every `snapshot` and `changed` in arrival order, so a
 * test reads them one by one with {@link VisitorClient.next}: a message that should not have been
 * sent shows up as the wrong next one.
 */
export class VisitorClient {
  readonly socket: Socket;
  readonly #inbox: Received[] = [];
  readonly #waiting: ((message: Received) => void)[] = [];

  constructor(base: string, auth: Record<string, unknown>, options: VisitorClientOptions = {}) {
    this.socket = io(`${base}${PERSONALIZE_NAMESPACE}`, {
      auth,
      reconnection: false,
      forceNew: true,
      transports: options.transports ?? ['websocket'],
      ...(options.origin && { extraHeaders: { origin: options.origin } }),
    });
    this.socket.on('snapshot', (payload: PersonalizationSnapshot) =>
      this.#receive({ event: 'snapshot', payload }),
    );
    this.socket.on('changed', (payload: PersonalizationChange) =>
      this.#receive({ event: 'changed', payload }),
    );
  }

  /** The next message, in order; fails after `timeoutMs`. */
  next(timeoutMs = 5000): Promise<Received> {
    const ready = this.#inbox.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(deliver), 1);
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      const deliver = (message: Received): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.#waiting.push(deliver);
    });
  }

  /** Messages received and not read yet. */
  unread(): readonly Received[] {
    return this.#inbox;
  }

  /** The refusal of the handshake, or a failure when the handshake succeeds. */
  refusal(): Promise<PersonalizeRefusal> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('the handshake was accepted')));
      this.socket.once('connect_error', (error: Error & { data?: PersonalizeRefusal }) =>
        error.data ? resolve(error.data) : reject(error),
      );
    });
  }

  close(): void {
    this.socket.close();
  }

  #receive(message: Received): void {
    const waiting = this.#waiting.shift();
    if (waiting) waiting(message);
    else this.#inbox.push(message);
  }
}
