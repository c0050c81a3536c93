import { UspaError } from '../../errors/index.js';
import type { PluginRuntime } from '../sandbox/plugin-runtime.js';
import type { PluginDeadLetter, PluginDeadLetters } from './plugin-dead-letters.js';

export interface ReplayOutcome {
  replayed: number;
  delivered: number;
  failed: number;
  errors: { id: string; eventId: string; error: string }[];
}

/**
 * Hands a plugin's pending dead letters to it again, once each and in order (after a fix of the
 * destination or a new version of the plugin), and records each outcome: delivered letters leave
 * the pending list; failed ones stay for the next replay.
 */
export async function replayDeadLetters(
  name: string,
  runtime: PluginRuntime | undefined,
  deadLetters: PluginDeadLetters,
): Promise<ReplayOutcome> {
  if (!runtime) {
    throw new UspaError(
      'plugin_not_running',
      409,
      `${name} is not running; enable it before replaying its dead letters`,
    );
  }
  const outcome: ReplayOutcome = { replayed: 0, delivered: 0, failed: 0, errors: [] };
  for (const letter of await deadLetters.list(name, { pending: true })) {
    outcome.replayed++;
    try {
      await deliver(runtime, letter);
      outcome.delivered++;
      await deadLetters.recordReplay({ name, deadLetterId: letter.id, outcome: 'delivered' });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      outcome.failed++;
      outcome.errors.push({ id: letter.id, eventId: letter.event.id, error: message });
      await deadLetters.recordReplay({
        name,
        deadLetterId: letter.id,
        outcome: 'failed',
        error: message,
      });
    }
  }
  return outcome;
}

function deliver(runtime: PluginRuntime, letter: PluginDeadLetter): Promise<void> {
  if (letter.consumer.startsWith('projection:')) {
    return runtime.project(letter.consumer.slice('projection:'.length), [letter.event]);
  }
  return runtime.manifest.hooks.includes('onBatch')
    ? runtime.onBatch([letter.event])
    : runtime.onEvent(letter.event);
}
