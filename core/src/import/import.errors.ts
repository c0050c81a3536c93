import { UspaError } from '../errors/index.js';

/**
 * The import cannot run: an unreadable input, a bad mapping, a mapping that names columns the file
 * does not have. The CLI prints its message as one line and exits non-zero. Bad rows are not
 * errors: they are counted and written to the rejected file.
 */
export class ImportError extends UspaError {
  constructor(message: string, options?: ErrorOptions) {
    super('import_failed', 400, message, undefined, options);
  }
}
