import type { Logger } from '../ports/logger.port.js';
import type { LogLevel } from './projection-thread.messages.js';

const LEVELS: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export type LogRecordSink = (
  level: LogLevel,
  details: Record<string, unknown>,
  message: string,
) => void;

/**
 * A logger for a worker thread that hands its records to the thread that owns the process's
 * log, so they come out in one stream with the same format. Records below `minimum` (the
 * configured level) are dropped here, before they cross.
 *
 * @example
 * const logger = threadLogger((level, details, message) => port.postMessage({ level, details, message }), 'info');
 */
export function threadLogger(
  sink: LogRecordSink,
  minimum: string,
  bindings: Record<string, unknown> = {},
): Logger {
  const floor = LEVELS[minimum as LogLevel] ?? (minimum === 'silent' ? Infinity : LEVELS.info);
  const at =
    (level: LogLevel) =>
    (object: object, message = ''): void => {
      if (LEVELS[level] >= floor) sink(level, { ...bindings, ...object }, message);
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: (more) => threadLogger(sink, minimum, { ...bindings, ...more }),
  };
}
