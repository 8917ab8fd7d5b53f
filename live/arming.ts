/**
 * Arming: whether the lane may run in live mode. Dry-run is the default; live
 * mode needs ALL of:
 *
 * 1. both flags, `--live` and `--i-understand-the-risks` (one alone is refused,
 *    not quietly downgraded to dry-run: the operator meant something);
 * 2. not under CI (`CI` set to `true` or `1` refuses, whatever the flags);
 * 3. credentials (an API key id and a private key, from the environment or a
 *    key file);
 * 4. a measured clock skew against the exchange within the bound (signed
 *    requests carry a timestamp; an unmeasured skew refuses too).
 *
 * Once armed, the lane is otherwise identical to dry-run. Live order
 * submission to the real exchange is NOT implemented: an armed lane still
 * simulates its orders against the replay venue, and says so.
 *
 * Pure: the caller reads flags, environment, credentials and the skew.
 * Refusal messages never contain credential material.
 *
 * @example
 * ```ts
 * import { decideArming } from "./arming.ts";
 *
 * decideArming({ live: true, iUnderstandTheRisks: false, ci: undefined,
 *   credentials: undefined, clockSkewMs: undefined }).ok; // false
 * decideArming({ live: false, iUnderstandTheRisks: false, ci: "true",
 *   credentials: undefined, clockSkewMs: undefined }); // { ok: true, mode: "dry", ... }
 * ```
 *
 * @module
 */

/** The largest clock skew accepted by default (ms). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 1_000;

/** What arming looks at. */
export interface ArmingRequest {
  readonly live: boolean;
  readonly iUnderstandTheRisks: boolean;
  /** `--dry` given explicitly (conflicts with `--live`). */
  readonly dry?: boolean;
  /** The value of the CI environment variable. */
  readonly ci: string | undefined;
  /** Whether credentials were found (their values are not needed here). */
  readonly credentials: { readonly keyId: string } | undefined;
  /** Measured local-minus-exchange clock offset (ms), or undefined when not measured. */
  readonly clockSkewMs: number | undefined;
  /** Bound on |skew| (default {@link DEFAULT_MAX_CLOCK_SKEW_MS}). */
  readonly maxClockSkewMs?: number;
}

/** Why arming was refused. */
export type ArmingRefusal =
  | "dry_and_live"
  | "one_flag"
  | "ci"
  | "no_credentials"
  | "skew_unknown"
  | "clock_skew";

/** The decision. */
export type ArmingDecision =
  | { readonly ok: true; readonly mode: "dry" | "live"; readonly note: string }
  | { readonly ok: false; readonly refusal: ArmingRefusal; readonly message: string };

/** The note every armed run prints: live submission is not implemented. */
export const LIVE_NOT_IMPLEMENTED =
  "live mode is armed, but live order submission to the exchange is NOT implemented: " +
  "orders are simulated against the replay venue exactly as in dry-run";

/** Whether a CI environment value means "running under CI". */
export function isCi(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v === "true" || v === "1";
}

function refuse(refusal: ArmingRefusal, message: string): ArmingDecision {
  return { ok: false, refusal, message: `Cannot arm live mode: ${message}` };
}

/** Decide the mode; see the module docs for the rules, checked in that order. */
export function decideArming(r: ArmingRequest): ArmingDecision {
  const max = r.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!Number.isFinite(max) || max < 0) {
    throw new RangeError(
      `Cannot decide arming: maxClockSkewMs must be finite and >= 0, current value is ${max}`,
    );
  }
  if (r.dry === true && (r.live || r.iUnderstandTheRisks)) {
    return refuse(
      "dry_and_live",
      `--dry conflicts with --live / --i-understand-the-risks, current value is --dry with ${
        r.live ? "--live" : "--i-understand-the-risks"
      }`,
    );
  }
  if (!r.live && !r.iUnderstandTheRisks) {
    return { ok: true, mode: "dry", note: "dry-run: orders are simulated, nothing is sent" };
  }
  if (!r.live || !r.iUnderstandTheRisks) {
    return refuse(
      "one_flag",
      `live mode needs both --live and --i-understand-the-risks, current value is only ${
        r.live ? "--live" : "--i-understand-the-risks"
      }`,
    );
  }
  if (isCi(r.ci)) {
    return refuse("ci", `live mode is refused under CI, current value is CI=${r.ci}`);
  }
  if (r.credentials === undefined) {
    return refuse(
      "no_credentials",
      "live mode needs credentials (KALSHI_API_KEY_ID and a private key), current value is none",
    );
  }
  if (r.clockSkewMs === undefined || !Number.isFinite(r.clockSkewMs)) {
    return refuse(
      "skew_unknown",
      `the clock skew against the exchange could not be measured, current value is ${r.clockSkewMs}`,
    );
  }
  if (Math.abs(r.clockSkewMs) > max) {
    return refuse(
      "clock_skew",
      `clock skew ${r.clockSkewMs} ms is over the bound of ${max} ms, current value is ${r.clockSkewMs}`,
    );
  }
  return { ok: true, mode: "live", note: LIVE_NOT_IMPLEMENTED };
}
