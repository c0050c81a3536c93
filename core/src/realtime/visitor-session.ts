import { PERSONALIZE_EVENTS } from '@uspa/sdk';
import type { Logger } from '../ports/logger.port.js';
import { diffPersonalization, type SentPersonalization } from './personalization-diff.js';
import type { PersonalizationSource } from './personalization.port.js';
import type { PersonalizeSocket } from './personalize-socket.js';
import type { RealtimeMetrics } from './realtime-metrics.js';

/**
 * One connected visitor: remembers what it was last sent and sends only what changes. Work runs
 * one step at a time per visitor, so a change that arrives while the first snapshot is still
 * reading the profile is applied after it, never overwritten by it.
 */
export class VisitorSession {
  readonly #socket: PersonalizeSocket;
  readonly #source: PersonalizationSource;
  readonly #metrics: RealtimeMetrics;
  readonly #log: Logger;
  #url: string | undefined;
  #sent: SentPersonalization | undefined;
  #snapshotQueued = false;
  #work: Promise<void> = Promise.resolve();

  constructor(
    socket: PersonalizeSocket,
    source: PersonalizationSource,
    metrics: RealtimeMetrics,
    log: Logger,
  ) {
    this.#socket = socket;
    this.#source = source;
    this.#metrics = metrics;
    this.#log = log;
    this.#url = socket.data.url;
  }

  /** A full snapshot for `url` (on connect and on navigation); rapid navigations send one. */
  sendSnapshot(url: string | undefined): void {
    this.#url = url;
    if (this.#snapshotQueued) return;
    this.#snapshotQueued = true;
    this.#enqueue(async () => {
      this.#snapshotQueued = false;
      const segments = await this.#currentSegments();
      const sent = { segments, content: this.#source.contentFor(segments, this.#url) };
      this.#sent = sent;
      this.#socket.emit(PERSONALIZE_EVENTS.snapshot, { segments, content: { ...sent.content } });
      this.#metrics.pushed('snapshot');
    });
  }

  /** The profile's segments are now these: send what that changes. */
  applySegments(segments: readonly string[]): void {
    this.#enqueue(async () => this.#sendChanges([...segments]));
  }

  /** Content rules changed: send the slots whose content that changes. */
  refreshContent(): void {
    this.#enqueue(async () => {
      if (this.#sent) this.#sendChanges([...this.#sent.segments]);
    });
  }

  #sendChanges(segments: string[]): void {
    // Before the first snapshot there is nothing to compare with; the snapshot carries it all.
    if (!this.#sent) return;
    const next = { segments, content: this.#source.contentFor(segments, this.#url) };
    const change = diffPersonalization(this.#sent, next);
    this.#sent = next;
    if (!change) return;
    this.#socket.emit(PERSONALIZE_EVENTS.changed, change);
    this.#metrics.pushed('changed');
  }

  /** The profile's segments; on a failed read, what the visitor has (or none) rather than nothing. */
  async #currentSegments(): Promise<string[]> {
    try {
      return await this.#source.segmentsOf(this.#socket.data.visitor);
    } catch (error) {
      this.#log.warn({ err: error, socket: this.#socket.id }, 'Reading the segments failed');
      return [...(this.#sent?.segments ?? [])];
    }
  }

  #enqueue(step: () => Promise<void>): void {
    this.#work = this.#work.then(step).catch((error: unknown) => {
      this.#log.error({ err: error, socket: this.#socket.id }, 'Personalizing a visitor failed');
    });
  }
}
