import type { PluginContext, PluginDefinition, TrackingEvent } from '@uspa/sdk';
import type { Logger } from '../../ports/logger.port.js';
import { drop, ok, type StepResult } from './step-result.js';

/** A plugin ready to run: its definition and the context it was set up with. */
export interface ActivePlugin {
  definition: PluginDefinition<never>;
  context: PluginContext<never>;
}

/**
 * Runs the enrichment plugins in their declared order. A plugin that throws loses that call only:
 * the event goes on without its additions, and the fault is logged (ingestion never stops for a
 * plugin). A plugin may drop the event on purpose (a bot), which is counted, not stored.
 */
export function enrichStep(plugins: readonly ActivePlugin[], logger: Logger) {
  const enriching = plugins.filter((plugin) => plugin.definition.enrich !== undefined);
  return async (event: TrackingEvent): Promise<StepResult<TrackingEvent>> => {
    let current = event;
    for (const { definition, context } of enriching) {
      try {
        const result = await definition.enrich!(current, context);
        if ('drop' in result) return drop(`${definition.name}:${result.drop}`);
        current = result;
      } catch (error) {
        logger.warn(
          { plugin: definition.name, err: error, messageId: event.messageId },
          'enrichment plugin failed; event kept without its additions',
        );
      }
    }
    return ok(current);
  };
}
