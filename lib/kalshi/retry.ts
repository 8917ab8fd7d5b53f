/**
 * Retry policy for Kalshi REST reads: exponential backoff with jitter, on the
 * failures that a later attempt can cure.
 *
 * Retried: HTTP 429 (Kalshi's throttle answer; it sends no Retry-After, so the
 * backoff alone decides the wait), every 5xx, a response cut short (a truncated
 * or unparsable body), and network errors (ECONNRESET / "socket hang up",
 * ECONNREFUSED, EPIPE, timeouts). Not retried: other 4xx (a bad request stays
 * bad), a cancellation by the caller's AbortSignal, and anything unknown.
 *
 * The delay before retry `k` (k = 1 for the first retry) is
 * `d = min(maxDelayMs, baseDelayMs * 2^(k-1))`, jittered to `d/2 + u * d/2` with
 * `u` from the injected random source ("equal jitter": never less than half
 * the nominal delay, so a throttled client always backs off). Sleeping and
 * randomness are injected, so tests run instantly and deterministically.
 *
 * @example Retry a flaky call with a fake sleep
 * ```ts
 * import { withRetry, DEFAULT_RETRY_POLICY } from "./retry.ts";
 *
 * let calls = 0;
 * const value = await withRetry(async () => {
 *   calls++;
 *   if (calls < 3) throw Object.assign(new Error("busy"), { response: { status: 429 } });
 *   return "ok";
 * }, {
 *   policy: DEFAULT_RETRY_POLICY,
 *   random: () => 0.5,
 *   sleep: () => Promise.resolve(),
 *   onRetry: (r) => console.log(`retry ${r.attempt} in ${r.delayMs} ms: ${r.reason}`),
 * });
 * console.log(value, calls); // "ok" 3
 * ```
 *
 * @module
 */

import type { SleepFn } from "./token_bucket.ts";

/** How many times to try and how long to wait between tries. */
export interface RetryPolicy {
  /** Total attempts including the first; an integer >= 1. */
  readonly maxAttempts: number;
  /** Nominal delay before the first retry, ms; an integer >= 0. */
  readonly baseDelayMs: number;
  /** Cap of the nominal delay, ms; an integer >= baseDelayMs. */
  readonly maxDelayMs: number;
}

/** 6 attempts, 500 ms doubling to at most 30 s (about 16 s of waiting before giving up). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Whether a failure is worth another attempt, and a short reason for logs. */
export interface FailureClass {
  readonly retryable: boolean;
  /** e.g. "HTTP 429", "HTTP 503", "ECONNRESET socket hang up", "HTTP 404". */
  readonly reason: string;
  /** HTTP status when the server answered. */
  readonly status?: number;
}

/** What {@link withRetry} reports before each retry. */
export interface RetryEvent {
  /** The attempt that failed (1 = the first try). */
  readonly attempt: number;
  /** The jittered wait before the next attempt, ms. */
  readonly delayMs: number;
  readonly reason: string;
  readonly status?: number;
  readonly error: unknown;
}

/** Options of {@link withRetry}. */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Uniform random numbers in [0, 1) (for instance `() => prng.next()`). */
  readonly random: () => number;
  readonly sleep: SleepFn;
  /** Called before every retry (progress lines, logs, test assertions). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Stops retrying (and sleeping) when aborted. */
  readonly signal?: AbortSignal;
  /** What is being attempted, for the final error ("GET /markets"). */
  readonly label?: string;
  /** Overrides {@link classifyFailure}. */
  readonly classify?: (error: unknown) => FailureClass;
}

/**
 * A failure the caller knows to be transient (for instance a 200 response
 * whose body is not complete JSON); {@link classifyFailure} retries it.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientError";
  }
}

/** Thrown when every attempt failed with a retryable failure. */
export class RetryExhaustedError extends Error {
  readonly attempts: number;
  readonly lastReason: string;
  readonly status?: number;

  constructor(label: string, attempts: number, last: FailureClass, cause: unknown) {
    super(
      `Cannot complete ${label}: gave up after ${attempts} attempts, current value is ${last.reason}`,
      { cause },
    );
    this.name = "RetryExhaustedError";
    this.attempts = attempts;
    this.lastReason = last.reason;
    this.status = last.status;
  }
}

const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED", // axios: timeout exceeded
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_NETWORK",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_SOCKET",
]);

const NETWORK_MESSAGE = /socket hang up|stream has been aborted|connection (was )?(reset|closed)/i;

function field(obj: unknown, name: string): unknown {
  return typeof obj === "object" && obj !== null
    ? (obj as Record<string, unknown>)[name]
    : undefined;
}

/**
 * Classifies a thrown value from an HTTP client (axios errors, Node network
 * errors, fetch errors) by its shape: `response.status` or `status`, then
 * `code` (also on `cause`), then the message.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof TransientError) return { retryable: true, reason: error.message };
  const code = field(error, "code") ?? field(field(error, "cause"), "code");
  const name = field(error, "name");
  if (name === "AbortError" || name === "CanceledError" || code === "ERR_CANCELED") {
    return { retryable: false, reason: "aborted" };
  }
  const message = String(field(error, "message") ?? error);
  const status = field(field(error, "response"), "status") ?? field(error, "status");
  if (typeof status === "number" && Number.isInteger(status)) {
    if (status === 429 || (status >= 500 && status <= 599)) {
      return { retryable: true, reason: `HTTP ${status}`, status };
    }
    if (status >= 200 && status <= 299) {
      // The status line arrived but the body did not (connection dropped mid-body).
      return { retryable: true, reason: `HTTP ${status} cut short: ${message}`, status };
    }
    return { retryable: false, reason: `HTTP ${status}`, status };
  }
  if (typeof code === "string" && NETWORK_CODES.has(code)) {
    return { retryable: true, reason: `${code} ${message}` };
  }
  if (NETWORK_MESSAGE.test(message)) return { retryable: true, reason: message };
  return { retryable: false, reason: message };
}

/** Checks a policy; throws a RangeError naming the bad field. */
export function checkRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { maxAttempts, baseDelayMs, maxDelayMs } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(
      `Cannot use retry policy: maxAttempts must be an integer >= 1, current value is ${maxAttempts}`,
    );
  }
  if (!Number.isInteger(baseDelayMs) || baseDelayMs < 0) {
    throw new RangeError(
      `Cannot use retry policy: baseDelayMs must be an integer >= 0, current value is ${baseDelayMs}`,
    );
  }
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < baseDelayMs) {
    throw new RangeError(
      `Cannot use retry policy: maxDelayMs must be an integer >= baseDelayMs (${baseDelayMs}), current value is ${maxDelayMs}`,
    );
  }
  return policy;
}

/**
 * The jittered delay before retry number `retry` (1 = the first retry); see
 * the module docs for the formula.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(
      `Cannot compute backoff: retry must be an integer >= 1, current value is ${retry}`,
    );
  }
  const u = random();
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(
      `Cannot compute backoff: random source must give a number in [0, 1), current value is ${u}`,
    );
  }
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry - 1, 52));
  const half = nominal / 2;
  return Math.round(half + u * half);
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the policy's
 * attempts are spent.
 *
 * @param attempt Called with the 1-based attempt number.
 * @returns The first successful result.
 * @throws The non-retryable error as thrown; a {@link RetryExhaustedError} when
 *   every attempt failed; the abort reason when `signal` aborts.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = checkRetryPolicy(options.policy);
  const classify = options.classify ?? classifyFailure;
  const label = options.label ?? "request";
  for (let n = 1;; n++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      // A cancellation by our own signal is never retried, whatever it looks like.
      options.signal?.throwIfAborted();
      const failure = classify(error);
      if (!failure.retryable) throw error;
      if (n >= policy.maxAttempts) throw new RetryExhaustedError(label, n, failure, error);
      const delayMs = backoffDelay(n, policy, options.random);
      options.onRetry?.({
        attempt: n,
        delayMs,
        reason: failure.reason,
        status: failure.status,
        error,
      });
      await options.sleep(delayMs, options.signal);
    }
  }
}
