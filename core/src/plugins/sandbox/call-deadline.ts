/**
 * Settles as `work` does, or rejects with `onTimeout()` once `ms` have passed, whichever comes
 * first. `onTimeout` runs inside the timer, so it can stop the work (dispose an isolate) before
 * anything else is queued behind it. The losing side stays subscribed, so a late rejection of
 * `work` is never an unhandled one.
 *
 * @example
 * await withinDeadline(isolateCall, 500, () => new PluginCallError('timeout', 'enrich', 'too slow'));
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message of anything thrown, without trusting it to be an Error (or to stringify). */
export function messageOf(thrown: unknown): string {
  try {
    if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
      return String(thrown.message);
    }
    return String(thrown);
  } catch {
    return 'unknown error';
  }
}
