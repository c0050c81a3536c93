import { describe, expect, it } from 'vitest';
import { threadLogger } from './thread-logger.js';

function recording(minimum: string) {
  const records: [string, Record<string, unknown>, string][] = [];
  const logger = threadLogger(
    (level, details, message) => records.push([level, details, message]),
    minimum,
  );
  return { logger, records };
}

describe('threadLogger', () => {
  it('hands on the records at or above the configured level, with their child bindings', () => {
    const { logger, records } = recording('warn');
    const projections = logger.child({ component: 'projections' });
    projections.info({ batch: 3 }, 'batch committed');
    projections.warn({ attempt: 2 }, 'storage unavailable, retrying');
    projections.child({ projection: 'profiles' }).error({ position: 41 }, 'event parked');
    expect(records).toEqual([
      ['warn', { component: 'projections', attempt: 2 }, 'storage unavailable, retrying'],
      ['error', { component: 'projections', projection: 'profiles', position: 41 }, 'event parked'],
    ]);
  });

  it('hands on nothing when the log is silent, and debug records when asked for', () => {
    const silent = recording('silent');
    silent.logger.fatal({}, 'down');
    expect(silent.records).toEqual([]);
    const debug = recording('debug');
    debug.logger.debug({ size: 10 }, 'batch read');
    debug.logger.trace({}, 'not this');
    expect(debug.records).toEqual([['debug', { size: 10 }, 'batch read']]);
  });
});
