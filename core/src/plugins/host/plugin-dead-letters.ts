import type { PluginEvent } from '@uspa/sdk';
import { derivedEventId } from '../../domain/event-ids.js';
import { streamOf } from '../../domain/streams.js';
import type { EventStore } from '../../ports/event-store.port.js';
import type { PluginFaultKind } from '../sandbox/plugin-runtime.js';

export const PLUGIN_EVENT_DEAD_LETTERED = 'PluginEventDeadLettered';
export const PLUGIN_DEAD_LETTER_REPLAYED = 'PluginDeadLetterReplayed';

/** Which consumer of a plugin failed: its event hooks, or one of its projections. */
export type ConsumerName = 'events' | `projection:${string}`;

export interface DeadLetteredData {
  name: string;
  consumer: ConsumerName;
  event: PluginEvent;
  error: { kind: PluginFaultKind; message: string };
  attempts: number;
}

export interface DeadLetterReplayedData {
  name: string;
  deadLetterId: string;
  outcome: 'delivered' | 'failed';
  error?: string;
}

/** A dead letter with the outcome of its last replay, if any. */
export interface PluginDeadLetter extends DeadLetteredData {
  id: string;
  at: string;
  replayed?: { outcome: 'delivered' | 'failed'; error?: string; at: string };
}

/**
 * The events a plugin's consumer gave up on, in `deadletter-plugin-{name}`. Parking has an id
 * derived from (plugin, consumer, event), so a consumer that parks again after a crash writes
 * nothing twice.
 */
export class PluginDeadLetters {
  constructor(private readonly store: EventStore) {}

  async park(data: DeadLetteredData): Promise<void> {
    await this.store.append(streamOf.pluginDeadLetters(data.name), [
      {
        id: derivedEventId(PLUGIN_EVENT_DEAD_LETTERED, data.name, data.consumer, data.event.id),
        type: PLUGIN_EVENT_DEAD_LETTERED,
        data,
      },
    ]);
  }

  async recordReplay(data: DeadLetterReplayedData): Promise<void> {
    await this.store.append(streamOf.pluginDeadLetters(data.name), [
      { type: PLUGIN_DEAD_LETTER_REPLAYED, data },
    ]);
  }

  /** Every dead letter of the plugin, oldest first; `pending` leaves out the delivered ones. */
  async list(name: string, { pending = false } = {}): Promise<PluginDeadLetter[]> {
    const letters = new Map<string, PluginDeadLetter>();
    let fromRevision = 0;
    for (;;) {
      const { events } = await this.store.readStream(streamOf.pluginDeadLetters(name), {
        fromRevision,
        maxCount: 1000,
      });
      for (const event of events) {
        const at = event.recordedAt.toISOString();
        if (event.type === PLUGIN_EVENT_DEAD_LETTERED) {
          letters.set(event.id, { ...(event.data as DeadLetteredData), id: event.id, at });
        } else if (event.type === PLUGIN_DEAD_LETTER_REPLAYED) {
          const replay = event.data as DeadLetterReplayedData;
          const letter = letters.get(replay.deadLetterId);
          if (letter) {
            letter.replayed = {
              outcome: replay.outcome,
              ...(replay.error === undefined ? {} : { error: replay.error }),
              at,
            };
          }
        }
      }
      if (events.length < 1000) break;
      fromRevision = events[events.length - 1]!.revision + 1;
    }
    const all = [...letters.values()];
    return pending ? all.filter((letter) => letter.replayed?.outcome !== 'delivered') : all;
  }
}
