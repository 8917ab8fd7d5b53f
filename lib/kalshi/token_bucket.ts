/**
 * A token bucket that paces requests to a rate limit such as Kalshi's per-tier
 * read budget (Basic: about 20 reads per second, DOMAIN.md).
 *
 * The bucket holds up to `burst` tokens and refills at `ratePerSecond`. Each
 * request takes one token; when none is left, {@link TokenBucket.reserve}
 * still hands out a token but returns how long the caller must wait before
 * using it (the balance goes negative, so callers queued behind it wait in
 * turn). The clock is injected, so the bucket is pure and testable; the caller
 * sleeps (see {@link TokenBucket.take}).
 *
 * @example Pace three requests at 2 per second with a burst of 1
 * ```ts
 * import { TokenBucket } from "./token_bucket.ts";
 *
 * let now = 0;
 * const bucket = new TokenBucket({ ratePerSecond: 2, burst: 1, now: () => now });
 * bucket.reserve(); // 0: the first token is there
 * bucket.reserve(); // 500: wait half a second
 * bucket.reserve(); // 1000
 * now = 1000;
 * bucket.reserve(); // 500: the two owed tokens were paid back; this one waits
 * ```
 *
 * @module
 */

/** Options of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second (requests per second); finite and > 0. */
  readonly ratePerSecond: number;
  /** Most tokens held at once (the largest burst); an integer >= 1. Default: the rate, at least 1. */
  readonly burst?: number;
  /** The clock in ms (any monotonic origin). */
  readonly now: () => number;
}

/** Sleeps `ms` milliseconds; rejects when `signal` aborts. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Token bucket rate limiter with an injected clock; see the module docs. */
export class TokenBucket {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Capacity of the bucket. */
  readonly burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond, now } = options;
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new RangeError(
        `Cannot create token bucket: ratePerSecond must be finite and > 0, current value is ${ratePerSecond}`,
      );
    }
    const burst = options.burst ?? Math.max(1, Math.floor(ratePerSecond));
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(
        `Cannot create token bucket: burst must be an integer >= 1, current value is ${burst}`,
      );
    }
    if (typeof now !== "function") {
      throw new TypeError(
        `Cannot create token bucket: now must be a clock function, current value is ${now}`,
      );
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#last = this.#readClock();
  }

  #readClock(): number {
    const t = this.#now();
    if (!Number.isFinite(t)) {
      throw new RangeError(
        `Cannot read token bucket clock: not a finite time, current value is ${t}`,
      );
    }
    return t;
  }

  #refill(): void {
    const t = this.#readClock();
    // A clock that steps back adds nothing (and never removes tokens).
    if (t > this.#last) {
      this.#tokens = Math.min(
        this.burst,
        this.#tokens + ((t - this.#last) * this.ratePerSecond) / 1000,
      );
      this.#last = t;
    }
  }

  /** Tokens available now (negative while reservations are owed). */
  available(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Takes one token and returns how many ms to wait before using it: 0 when a
   * token was available, else the time until the balance is back to zero.
   */
  reserve(): number {
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    return Math.ceil((-this.#tokens * 1000) / this.ratePerSecond);
  }

  /**
   * Takes one token, sleeping with `sleep` until it may be used.
   *
   * @returns The ms waited (0 when a token was available).
   */
  async take(sleep: SleepFn, signal?: AbortSignal): Promise<number> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
    return wait;
  }
}
