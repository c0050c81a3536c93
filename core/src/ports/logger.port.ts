/** Structured logging as the core sees it; pino implements it. */
export interface Logger {
  trace(object: object, message?: string): void;
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  fatal(object: object, message?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const LOGGER = Symbol('Logger');
