import type { PersonalizeAuth } from '../realtime/personalize-protocol.js';
import { startRealtimeFrom } from './realtime-loader.js';
import type { ContentBySlot, RealtimeController } from './realtime/realtime-contract.js';

/**
 * What `on()` delivers: every slot's content, or the ids of the visitor's segments.
 *
 * @example
 * uspa.on('segments', (segments: UspaEvents['segments']) => console.log(segments.includes('vip')));
 */
export interface UspaEvents {
  content: ContentBySlot;
  segments: string[];
}

type Listener<K extends keyof UspaEvents> = (value: UspaEvents[K]) => void;

/**
 * The tracker's side of realtime personalisation: the `on()` listeners, the last values they
 * were given (a late listener gets them at once), and the lazily loaded realtime client.
 *
 * @example
 * const personalization = new Personalization();
 * personalization.on('segments', (ids) => console.log(ids));
 * personalization.connect(`${host}/sdk/uspa-realtime.js`, host, () => auth);
 */
export class Personalization {
  private readonly listeners: { [K in keyof UspaEvents]: Set<Listener<K>> } = {
    content: new Set(),
    segments: new Set(),
  };
  private latest: Partial<UspaEvents> = {};
  private controller: Promise<RealtimeController | undefined> | undefined;

  /** True once someone listens: a reason to connect. */
  get wanted(): boolean {
    return this.listeners.content.size + this.listeners.segments.size > 0;
  }

  get connected(): boolean {
    return this.controller !== undefined;
  }

  on<K extends keyof UspaEvents>(event: K, listener: Listener<K>): () => void {
    const listeners = this.listeners[event];
    listeners.add(listener);
    const known = this.latest[event];
    if (known !== undefined) listener(known);
    return () => listeners.delete(listener);
  }

  /** Loads the realtime client and connects; a failure is logged, tracking carries on. */
  connect(url: string, host: string, auth: () => PersonalizeAuth): void {
    if (this.controller) return;
    this.controller = startRealtimeFrom(url, {
      host,
      auth,
      onContent: (content) => this.emit('content', content),
      onSegments: (segments) => this.emit('segments', segments),
    }).catch((error: unknown) => {
      console.warn('uspa: personalisation unavailable', error);
      return undefined;
    });
  }

  /** Reconnects with fresh credentials; what was known about the previous visitor is forgotten. */
  reconnect(forget: boolean): void {
    if (forget) this.latest = {};
    void this.controller?.then((controller) => controller?.reconnect());
  }

  disconnect(): void {
    void this.controller?.then((controller) => controller?.close());
    this.controller = undefined;
  }

  private emit<K extends keyof UspaEvents>(event: K, value: UspaEvents[K]): void {
    this.latest[event] = value;
    for (const listener of this.listeners[event] as Set<Listener<K>>) {
      try {
        listener(value);
      } catch (error) {
        console.error('uspa: listener failed', error);
      }
    }
  }
}
