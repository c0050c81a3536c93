/**
 * The one error hierarchy of USPA. Every error a caller can meet carries a stable machine-readable
 * `code` and the HTTP status it maps to; the HTTP layer turns it into `application/problem+json`.
 *
 * @example
 * throw new UspaError('stream_tombstoned', 410, 'Stream user-42 was erased and cannot be written');
 */
export class UspaError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request or command itself is malformed. */
export class ValidationError extends UspaError {
  constructor(message: string, details?: Readonly<Record<string, unknown>>) {
    super('validation_failed', 400, message, details);
  }
}

/** The configuration given at start-up is invalid; the process must not start. */
export class ConfigError extends UspaError {
  constructor(message: string) {
    super('invalid_config', 500, message);
  }
}

export class NotFoundError extends UspaError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}
