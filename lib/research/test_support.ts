/**
 * Builders shared by the research unit tests (not part of the public API).
 *
 * @module
 */

import type { Side, Signal } from "./signal.ts";

/** A signal with the given fields; defaults ts 0, market "M", side "yes", no factors. */
export function sig(
  clv: number,
  factors: Record<string, number> = {},
  ts = 0,
  side: Side = "yes",
  market = "M",
): Signal {
  return { ts, market, side, clv, factors };
}

/** `count` signals of which `positives` have clv +1 and the rest -1. */
export function group(
  positives: number,
  count: number,
  factors: Record<string, number> = {},
): Signal[] {
  return Array.from({ length: count }, (_, i) => sig(i < positives ? 1 : -1, factors));
}

/** |a - b| <= tol * max(1, |b|). */
export function near(a: number, b: number, tol = 1e-14): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
