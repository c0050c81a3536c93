/**
 * Reads until `accept` holds or `timeoutMs` passes, and returns the last value read: the
 * assertion that follows shows what was there, instead of a bare timeout.
 *
 * @example
 * const profile = await eventually(() => profileOf('ada'), (p) => p?.segments.length === 1);
 * expect(profile?.segments).toEqual(['recent-buyers']);
 */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
