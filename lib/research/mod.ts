/**
 * Factor research on trading signals: bucket tables of the rate of positive
 * closing line value with Wilson intervals, pooled two-proportion z-tests,
 * Holm and Benjamini-Hochberg adjustments, threshold sweeps, trailing
 * percentile thresholds without look-ahead, stability over trailing windows,
 * factor stacking, and the shadow / enforce signal gate. Pure: no I/O, no
 * clock, no randomness. Methods and conventions: `docs/RESEARCH.md`.
 *
 * @example
 * ```ts
 * import { bucketAnalysis, type Signal } from "./mod.ts";
 * const signals: Signal[] = [
 *   { ts: 0, market: "M", side: "yes", clv: 120, factors: { skew: 0.8 } },
 *   { ts: 1, market: "M", side: "no", clv: -40, factors: { skew: 0.2 } },
 * ];
 * bucketAnalysis(signals, "skew", { cuts: [0.5] }).rows.map((r) => r.rate); // [0, 1]
 * ```
 *
 * @module
 */

export * from "./signal.ts";
export * from "./proportion_ztest.ts";
export * from "./multiple_testing.ts";
export * from "./quantile.ts";
export * from "./clv_stats.ts";
export * from "./comparisons.ts";
export * from "./group_table.ts";
export * from "./condition.ts";
export * from "./buckets.ts";
export * from "./threshold_split.ts";
export * from "./trailing_threshold.ts";
export * from "./stability.ts";
export * from "./stacking.ts";
export * from "./gate.ts";
