/**
 * Integration tests against real services (OpenSearch, Redis, ...; DESIGN.md §12).
 *
 * A test file probes its service once, at the top level, and skips its suite when the service is
 * down, so `vitest run` works on a laptop without the services. On CI (`CI=true`) a missing
 * service must not turn into a silent skip: {@link requireService} throws instead, which fails the
 * test file.
 *
 * @example
 * ```ts
 * const redis = await requireService('Redis at 127.0.0.1:6379', () => pingRedis());
 * describe.skipIf(!redis.available)('RedisLocks (real Redis)', () => { ... });
 * ```
 */

export interface ServiceStatus {
  /** True when the probe succeeded. */
  readonly available: boolean;
  /** Why the service is considered unavailable (absent when available). */
  readonly reason?: string;
}

export interface RequireServiceOptions {
  /** Give up on the probe after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Environment to read `CI` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** True when running on CI, where real services are mandatory. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true';
}

/**
 * Runs `probe` (which should reject when the service cannot be used) with a timeout.
 * Available: resolves `{ available: true }`. Unavailable: on CI throws an Error naming the
 * service and the cause; elsewhere prints the reason and resolves `{ available: false, reason }`.
 */
export async function requireService(
  name: string,
  probe: () => Promise<void>,
  options: RequireServiceOptions = {},
): Promise<ServiceStatus> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { available: true };
  } catch (error) {
    const reason = `${name} is not reachable: ${describeError(error)}`;
    if (isCI(options.env)) {
      throw new Error(`${reason} (CI=true: integration tests require the real service)`, {
        cause: error,
      });
    }
    console.warn(`[skip] ${reason} — skipping its integration tests (set CI=true to fail instead)`);
    return { available: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch / sockets wrap the useful part (ECONNREFUSED ...) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
