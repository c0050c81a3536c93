import { ApiError } from './api.js';
import { session } from './session.svelte.js';

/**
 * The sentence to show for a failed call: the problem document's `detail` when the API sent one.
 * A 401 also signs the console out (expired cookie, revoked key).
 *
 * @example
 * catch (error) { this.error = messageOf(error); }
 */
export function messageOf(error: unknown): string {
  session.notice(error);
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The USPA server did not answer. Is it running?';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Extra lines of a problem document beyond `detail` (e.g. a list of `errors`), for forms that
 * show every validation failure.
 */
export function problemLines(error: unknown): string[] {
  if (!(error instanceof ApiError) || typeof error.body !== 'object' || error.body === null) {
    return [];
  }
  const { errors } = error.body as { errors?: unknown };
  if (!Array.isArray(errors)) return [];
  return errors.map((entry) => {
    if (typeof entry === 'string') return entry;
    const { path, instancePath, message } = (entry ?? {}) as Record<string, unknown>;
    const where =
      typeof path === 'string' ? path : typeof instancePath === 'string' ? instancePath : '';
    return [where, typeof message === 'string' ? message : JSON.stringify(entry)]
      .filter(Boolean)
      .join(': ');
  });
}
