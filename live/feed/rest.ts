/**
 * The live feed's REST reads (metadata bootstrap and the polling fallback):
 * `fetch` with a per-attempt timeout, retries with jittered exponential
 * backoff (lib/kalshi/retry.ts) on 429, 5xx, timeouts, cut-short bodies and
 * network errors, and a check of the server's `Date` header against the local
 * clock. Clock and randomness are injected (`LiveClock`, a seeded source).
 *
 * Counters: `requests` (attempts), `retries`, `timeouts`, `http429`,
 * `http5xx`, `networkErrors`, `failures` (reads that gave up), and
 * `clockSkewDetected` (answers whose `Date` is more than `maxSkewMs` away from
 * the local clock; `lastSkewMs` keeps the last offset). The feed never takes
 * a timestamp from `Date`, so a skew is reported, not absorbed.
 *
 * @module
 */

import { type RetryPolicy, TransientError, withRetry } from "../../lib/kalshi/retry.ts";
import type { LiveClock } from "../io.ts";
import { officialTransport } from "./official_transport.ts";

/** Options of {@link FeedRest}. */
export interface FeedRestOptions {
  /** REST base including `/trade-api/v2`. */
  readonly baseUrl: string;
  /** Stamps `receivedTs` and is compared with `Date` (the event clock). */
  readonly clock: LiveClock;
  /** Sleeps (timeouts, backoff). Default: `clock`. */
  readonly timer?: LiveClock;
  /** Uniform [0, 1) source for the backoff jitter (seeded). */
  readonly random: () => number;
  /** Transport; default {@link officialTransport} (Kalshi's official client). */
  readonly fetch?: typeof fetch;
  /** Per-attempt timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Default: 4 attempts, 200 ms doubling to 5 s. */
  readonly retry?: RetryPolicy;
  /** `Date` offsets beyond this are counted, ms. Default 2000. */
  readonly maxSkewMs?: number;
  /** Aborts every read (the feed's close). */
  readonly signal?: AbortSignal;
}

/** Counters of {@link FeedRest}; see the module docs. */
export interface FeedRestCounters {
  requests: number;
  retries: number;
  timeouts: number;
  http429: number;
  http5xx: number;
  networkErrors: number;
  failures: number;
  clockSkewDetected: number;
}

/** A JSON answer and when it arrived (the injected clock). */
export interface RestAnswer {
  readonly body: Record<string, unknown>;
  readonly receivedTs: number;
}

/** Default retry policy of the feed's reads. */
export const FEED_REST_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5000,
});

/** See the module docs. */
export class FeedRest {
  readonly counters: FeedRestCounters = {
    requests: 0,
    retries: 0,
    timeouts: 0,
    http429: 0,
    http5xx: 0,
    networkErrors: 0,
    failures: 0,
    clockSkewDetected: 0,
  };
  /** The last `Date` offset seen (server minus local), ms, or NaN. */
  lastSkewMs = Number.NaN;
  readonly baseUrl: string;
  readonly #o: FeedRestOptions;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxSkewMs: number;

  constructor(options: FeedRestOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#o = options;
    // Default: Kalshi's official client (DESIGN.md §7); tests may inject a fetch.
    this.#fetch = options.fetch ?? officialTransport(this.baseUrl);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxSkewMs = options.maxSkewMs ?? 2000;
    if (!Number.isInteger(this.#timeoutMs) || this.#timeoutMs < 1) {
      throw new RangeError(
        `Cannot create feed REST client: timeoutMs must be an integer >= 1, current value is ${this.#timeoutMs}`,
      );
    }
  }

  /**
   * GETs `path` (below the base) with `query`, retried; resolves with the JSON body.
   *
   * @throws the last error when the read gives up (RetryExhaustedError, or an
   *   Error naming a non-retryable status), or the abort reason.
   */
  async get(path: string, query: Record<string, string> = {}): Promise<RestAnswer> {
    const q = new URLSearchParams(query).toString();
    const url = `${this.baseUrl}${path}${q === "" ? "" : "?" + q}`;
    try {
      return await withRetry(() => this.#attempt(url, path), {
        policy: this.#o.retry ?? FEED_REST_RETRY,
        random: this.#o.random,
        sleep: (ms, signal) => (this.#o.timer ?? this.#o.clock).sleep(ms, signal),
        signal: this.#o.signal,
        label: `GET ${path}`,
        onRetry: () => this.counters.retries++,
      });
    } catch (e) {
      if (!this.#o.signal?.aborted) this.counters.failures++;
      throw e;
    }
  }

  async #attempt(url: string, path: string): Promise<RestAnswer> {
    this.counters.requests++;
    const ctl = new AbortController();
    const stopTimer = new AbortController();
    const outer = this.#o.signal;
    const onOuter = () => ctl.abort(outer!.reason);
    outer?.addEventListener("abort", onOuter, { once: true });
    let timedOut = false;
    (this.#o.timer ?? this.#o.clock).sleep(this.#timeoutMs, stopTimer.signal).then(() => {
      timedOut = true;
      ctl.abort(new Error("timeout"));
    }, () => {});
    try {
      let res: Response;
      let text: string;
      try {
        res = await this.#fetch(url, { signal: ctl.signal });
        text = await res.text();
      } catch (e) {
        if (outer?.aborted) throw outer.reason;
        if (timedOut) {
          this.counters.timeouts++;
          throw new TransientError(`GET ${path}: no answer within ${this.#timeoutMs} ms`);
        }
        this.counters.networkErrors++;
        throw new TransientError(`GET ${path}: ${(e as Error).message}`, { cause: e });
      }
      const receivedTs = this.#o.clock.now();
      this.#checkDate(res.headers.get("date"), receivedTs);
      if (res.status === 429) this.counters.http429++;
      if (res.status >= 500) this.counters.http5xx++;
      if (res.status !== 200) {
        throw Object.assign(
          new Error(
            `Cannot GET ${path}: HTTP ${res.status}, current value is ${text.slice(0, 200)}`,
          ),
          { status: res.status },
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new TransientError(`GET ${path}: body is not complete JSON`);
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new Error(
          `Cannot GET ${path}: body is not a JSON object, current value is ${text.slice(0, 80)}`,
        );
      }
      return { body: body as Record<string, unknown>, receivedTs };
    } finally {
      stopTimer.abort();
      outer?.removeEventListener("abort", onOuter);
    }
  }

  #checkDate(date: string | null, now: number): void {
    if (date === null) return;
    const t = Date.parse(date);
    if (!Number.isFinite(t)) return;
    // The header has 1 s resolution: compare with the local time truncated the same way.
    const skew = t - Math.floor(now / 1000) * 1000;
    this.lastSkewMs = skew;
    if (Math.abs(skew) > this.#maxSkewMs) this.counters.clockSkewDetected++;
  }
}
