export interface SignInThrottleOptions {
  /** Failed sign-ins one address may make per window. */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses tracked at most; beyond, finished windows are forgotten first. */
  maxAddresses?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts failed console sign-ins per client address in fixed windows, so guessing secret keys
 * from one address is slowed to a crawl (keys hold 192 random bits; this keeps noisy scanners
 * out of the logs and the CPU). In memory, per process: a determined attacker spreading over
 * processes still gets `processes × maxFailures` tries a minute, which is as good as nothing.
 *
 * @example
 * const throttle = new SignInThrottle();
 * if (throttle.retryAfterSeconds(ip) > 0) answer429();
 * else if (!valid) throttle.failed(ip);
 */
export class SignInThrottle {
  readonly #windows = new Map<string, Window>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxAddresses: number;
  readonly #now: () => number;

  constructor(options: SignInThrottleOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** 0 when `address` may try; otherwise the seconds until its window ends. */
  retryAfterSeconds(address: string): number {
    const window = this.#current(address);
    if (!window || window.failures < this.#maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.#windowMs - this.#now()) / 1000));
  }

  failed(address: string): void {
    const window = this.#current(address);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.#windows.size >= this.#maxAddresses) this.#forgetFinished();
    // Still full: every tracked address is inside its window; the oldest entry goes.
    if (this.#windows.size >= this.#maxAddresses) {
      const oldest = this.#windows.keys().next();
      if (!oldest.done) this.#windows.delete(oldest.value);
    }
    this.#windows.set(address, { startedAt: this.#now(), failures: 1 });
  }

  #current(address: string): Window | undefined {
    const window = this.#windows.get(address);
    if (window && this.#now() - window.startedAt >= this.#windowMs) {
      this.#windows.delete(address);
      return undefined;
    }
    return window;
  }

  #forgetFinished(): void {
    const now = this.#now();
    for (const [address, window] of this.#windows) {
      if (now - window.startedAt >= this.#windowMs) this.#windows.delete(address);
    }
  }
}
