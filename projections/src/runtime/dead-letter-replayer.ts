import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import {
  errorOf,
  listDeadLetters,
  PROJECTION_DEAD_LETTER_REPLAYED,
  type DeadLetter,
  type DeadLetterReplayedData,
} from './dead-letters.js';
import type { ProjectionRunner } from './projection-runner.js';
import { projectionStorage } from './projection-storage.js';

export interface ReplayReport {
  projection: string;
  replayed: number;
  applied: number;
  failed: { eventId: string; error: string }[];
}

/**
 * Lets an operator hand parked events back to their projection once the cause is fixed. Each
 * outcome is recorded in the dead-letter stream, so the list shows what is still pending.
 */
export class DeadLetterReplayer {
  constructor(
    private readonly log: ProjectionEventLog,
    private readonly servingRunner: (projection: string) => ProjectionRunner | undefined,
  ) {}

  /** Dead letters not yet applied by a replay. */
  async pending(projection: string): Promise<DeadLetter[]> {
    const letters = await listDeadLetters(this.log, projection);
    return letters.filter((letter) => letter.replayed?.outcome !== 'applied');
  }

  async replay(projection: string): Promise<ReplayReport> {
    const runner = this.servingRunner(projection);
    const report: ReplayReport = { projection, replayed: 0, applied: 0, failed: [] };
    if (!runner) return report;
    const letters = await this.pending(projection);
    for (const { parked } of letters) {
      const { events } = await this.log.readStream(parked.streamId, {
        fromRevision: parked.revision,
        maxCount: 1,
      });
      const event = events[0];
      if (event?.id !== parked.eventId) continue; // erased or deleted since: nothing to apply
      report.replayed += 1;
      const outcome = await runner.redeliver(event);
      const data: DeadLetterReplayedData = outcome.ok
        ? { projection, eventId: event.id, outcome: 'applied' }
        : { projection, eventId: event.id, outcome: 'failed', error: errorOf(outcome.error) };
      if (outcome.ok) report.applied += 1;
      else report.failed.push({ eventId: event.id, error: data.error!.message });
      await this.log.append(projectionStorage.deadLetterStream(projection), [
        // An operator's command, not a derived fact: a random id, one record per replay.
        { type: PROJECTION_DEAD_LETTER_REPLAYED, data },
      ]);
    }
    return report;
  }
}
