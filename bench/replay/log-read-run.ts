import { eventBatches, type ProjectionEventLog } from '../../projections/src/index.js';

export interface LogReadResult {
  events: number;
  ms: number;
  cpuMs: number;
}

/**
 * Reads the log from position 0 as a projection runner does (the same subscription, filter and
 * batches) and does nothing else with the events: the rate no single-threaded rebuild of these
 * projections can pass on this machine, the baseline the rebuild rates are read against.
 */
export async function timeLogRead(
  log: ProjectionEventLog,
  handles: readonly string[],
  batchSize: number,
): Promise<LogReadResult> {
  const [head] = await log.readAll({
    direction: 'backwards',
    maxCount: 1,
    filter: { eventTypes: handles },
  });
  // Nothing to read: a subscription would wait for the first event.
  if (head === undefined) return { events: 0, ms: 0, cpuMs: 0 };
  const last = head.position;
  const stop = new AbortController();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let events = 0;
  const subscription = log.subscribeToAll({
    from: 'start',
    filter: { eventTypes: handles },
    signal: stop.signal,
  });
  for await (const batch of eventBatches(subscription, batchSize)) {
    events += batch.length;
    if ((batch.at(-1)?.position ?? -1) >= last) {
      // Before leaving: the subscription would otherwise wait for events that never come.
      stop.abort();
      break;
    }
    // As the runner does after each batch, to let timers and requests of its process run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { events, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
}
