/**
 * The write-rate limit of the account tier: every order and cancel the lane
 * sends takes a token from one bucket (lib/kalshi/token_bucket.ts) sized to the
 * tier's write budget. Kalshi's limits are token buckets per tier; a throttled
 * call gets HTTP 429 with no Retry-After (DOMAIN.md). The lane never waits for a
 * token inside a strategy callback: {@link WriteLimiter.tryTake} either takes
 * one now or says no (a new order is then blocked and audited; a cancel stays
 * queued, live/rails/cancel_queue.ts).
 *
 * Tier budgets (writes per second), from Kalshi's documentation (check against
 * your account's tier): basic 10, advanced 30, premier 100, prime 400.
 *
 * @example
 * ```ts
 * import { WriteLimiter } from "./write_limiter.ts";
 *
 * let now = 0;
 * const w = WriteLimiter.forTier("basic", () => now);
 * for (let i = 0; i < 10; i++) w.tryTake(); // true x 10 (the burst)
 * w.tryTake(); // false
 * now = 100;
 * w.tryTake(); // true: 100 ms refill one token at 10/s
 * ```
 *
 * @module
 */

import { TokenBucket } from "../../lib/kalshi/token_bucket.ts";

/** Write budgets per account tier (writes per second). */
export const TIER_WRITES_PER_SECOND: Readonly<Record<string, number>> = Object.freeze({
  basic: 10,
  advanced: 30,
  premier: 100,
  prime: 400,
});

/** A non-blocking write limiter over a token bucket. */
export class WriteLimiter {
  readonly tier: string;
  readonly #bucket: TokenBucket;
  #taken = 0;
  #refused = 0;

  constructor(tier: string, ratePerSecond: number, now: () => number, burst?: number) {
    this.tier = tier;
    this.#bucket = new TokenBucket({ ratePerSecond, burst, now });
  }

  /**
   * The limiter of a tier (burst = one second of budget). `timeScale` is the
   * exchange ms per wall ms when a mock exchange replays a tape faster than real
   * time: the budget scales with it, so a strategy meets the limit it would
   * meet at real time (default 1: live).
   *
   * @throws {RangeError} for an unknown tier or a time scale that is not > 0.
   */
  static forTier(tier: string, now: () => number, timeScale = 1): WriteLimiter {
    const rate = Object.hasOwn(TIER_WRITES_PER_SECOND, tier)
      ? TIER_WRITES_PER_SECOND[tier]
      : undefined;
    if (rate === undefined) {
      throw new RangeError(
        `Cannot size the write limiter: unknown account tier (known: ${
          Object.keys(TIER_WRITES_PER_SECOND).join(", ")
        }), current value is "${tier}"`,
      );
    }
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new RangeError(
        `Cannot size the write limiter: timeScale must be finite and > 0, current value is ${timeScale}`,
      );
    }
    const scaled = rate * timeScale;
    return new WriteLimiter(tier, scaled, now, Math.max(1, Math.floor(scaled)));
  }

  /** Writes per second. */
  get ratePerSecond(): number {
    return this.#bucket.ratePerSecond;
  }

  /** Tokens taken so far. */
  get taken(): number {
    return this.#taken;
  }

  /** Refusals so far. */
  get refused(): number {
    return this.#refused;
  }

  /** Take a token if one is there now; never goes into debt. */
  tryTake(): boolean {
    if (this.#bucket.available() < 1) {
      this.#refused++;
      return false;
    }
    this.#bucket.reserve();
    this.#taken++;
    return true;
  }
}
