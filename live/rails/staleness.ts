/**
 * The staleness gate: no new order while the lane's own heartbeat is stale, the
 * feed is down or silent, or the order's market book is invalid or too old, all
 * measured on the live (wall) clock. Pure: the caller gathers the inputs.
 *
 * | rule | blocked when |
 * | --- | --- |
 * | `stale_heartbeat` | now - last successful heartbeat write > `maxHeartbeatAgeMs` |
 * | `feed_down` | the feed reports mode "down" |
 * | `feed_silent` | now - the feed's last message > `maxFeedSilenceMs` |
 * | `book_invalid` | the venue's book of the market is invalid, or the feed lists it as waiting for a resync |
 * | `stale_book` | no book update of the market consumed yet, or now - its arrival > `maxBookAgeMs` |
 *
 * The first rule that blocks, in the order above, is the one reported.
 *
 * @example
 * ```ts
 * import { DEFAULT_STALENESS, stalenessCheck } from "./staleness.ts";
 *
 * const d = stalenessCheck(DEFAULT_STALENESS, {
 *   now: 100_000,
 *   heartbeatAgeMs: 60_000,
 *   feedMode: "ws",
 *   feedLastMessageTs: 99_000,
 *   bookValid: true,
 *   bookAwaitingResync: false,
 *   bookReceivedTs: 99_500,
 * });
 * console.log(d); // { ok: false, rule: "stale_heartbeat", detail: "..." }
 * ```
 *
 * @module
 */

/** Limits of the staleness gate, wall-clock ms. */
export interface StalenessLimits {
  readonly maxHeartbeatAgeMs: number;
  readonly maxFeedSilenceMs: number;
  readonly maxBookAgeMs: number;
}

/** Defaults: heartbeat 10 s, feed silence 30 s, book 120 s. */
export const DEFAULT_STALENESS: StalenessLimits = {
  maxHeartbeatAgeMs: 10_000,
  maxFeedSilenceMs: 30_000,
  maxBookAgeMs: 120_000,
};

/** What the gate looks at for one order. */
export interface StalenessInput {
  /** Wall clock now (ms). */
  readonly now: number;
  /** Wall ms since the last successful heartbeat write (+Infinity before the first). */
  readonly heartbeatAgeMs: number;
  readonly feedMode: "ws" | "rest" | "down";
  /** Wall time of the feed's last message (NaN when none yet). */
  readonly feedLastMessageTs: number;
  /** Whether the venue's book of the order's market holds usable state. */
  readonly bookValid: boolean;
  /** Whether the feed lists the market among the books waiting for a resync snapshot. */
  readonly bookAwaitingResync: boolean;
  /** Wall time at which the market's latest consumed book update arrived (undefined: none). */
  readonly bookReceivedTs: number | undefined;
}

/** Names of the staleness rules. */
export type StalenessRule =
  | "stale_heartbeat"
  | "feed_down"
  | "feed_silent"
  | "book_invalid"
  | "stale_book";

/** The gate's answer. */
export type StalenessDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly rule: StalenessRule; readonly detail: string };

const OK: StalenessDecision = Object.freeze({ ok: true });

/** Check every limit; throws RangeError when a limit is not a number >= 0. */
export function validateStalenessLimits(limits: StalenessLimits): StalenessLimits {
  for (const k of ["maxHeartbeatAgeMs", "maxFeedSilenceMs", "maxBookAgeMs"] as const) {
    const v = limits[k];
    if (typeof v !== "number" || Number.isNaN(v) || v < 0) {
      throw new RangeError(
        `Cannot use staleness limits: ${k} must be a number of ms >= 0, current value is ${v}`,
      );
    }
  }
  return limits;
}

/** Decide whether an order may go on; see the module docs for the rules. */
export function stalenessCheck(limits: StalenessLimits, s: StalenessInput): StalenessDecision {
  if (!(s.heartbeatAgeMs <= limits.maxHeartbeatAgeMs)) {
    return {
      ok: false,
      rule: "stale_heartbeat",
      detail: `heartbeat is ${s.heartbeatAgeMs} ms old, over ${limits.maxHeartbeatAgeMs} ms`,
    };
  }
  if (s.feedMode === "down") return { ok: false, rule: "feed_down", detail: "feed is down" };
  const silence = s.now - s.feedLastMessageTs;
  if (!Number.isNaN(s.feedLastMessageTs) && silence > limits.maxFeedSilenceMs) {
    return {
      ok: false,
      rule: "feed_silent",
      detail: `no feed message for ${silence} ms, over ${limits.maxFeedSilenceMs} ms`,
    };
  }
  if (!s.bookValid || s.bookAwaitingResync) {
    return {
      ok: false,
      rule: "book_invalid",
      detail: s.bookAwaitingResync ? "book awaits a resync snapshot" : "book is invalid",
    };
  }
  if (s.bookReceivedTs === undefined) {
    return { ok: false, rule: "stale_book", detail: "no book update received yet" };
  }
  const age = s.now - s.bookReceivedTs;
  if (!(age <= limits.maxBookAgeMs)) {
    return {
      ok: false,
      rule: "stale_book",
      detail: `book is ${age} ms old, over ${limits.maxBookAgeMs} ms`,
    };
  }
  return OK;
}
