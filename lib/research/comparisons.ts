/**
 * A family of two-proportion comparisons (rate of positive CLV of a group
 * against another) with z-tests and multiple-comparison adjusted p-values.
 *
 * @module
 */

import type { Counts } from "./clv_stats.ts";
import { assertAlpha } from "./clv_stats.ts";
import { type Adjustment, adjustPValues, assertAdjustment } from "./multiple_testing.ts";
import { type Alternative, assertAlternative, proportionsZTest } from "./proportion_ztest.ts";

/** Options shared by the analyses that test a family of comparisons. */
export interface CompareOptions {
  /** Alternative hypothesis of the z-tests (group rate vs the other); default "two-sided". */
  alternative?: Alternative;
  /** Adjustment over the family of tests; default "holm". */
  adjustment?: Adjustment;
  /** Significance level of the Wilson intervals; default 0.05 (95%). */
  alpha?: number;
}

/** The options of {@link CompareOptions} with their defaults filled in. */
export interface ResolvedCompareOptions {
  alternative: Alternative;
  adjustment: Adjustment;
  alpha: number;
}

/**
 * Fill in and check {@link CompareOptions}.
 *
 * @example
 * ```ts
 * resolveCompareOptions("analyze buckets", {});
 * // { alternative: "two-sided", adjustment: "holm", alpha: 0.05 }
 * ```
 */
export function resolveCompareOptions(
  action: string,
  options: CompareOptions,
): ResolvedCompareOptions {
  const alternative = options.alternative ?? "two-sided";
  const adjustment = options.adjustment ?? "holm";
  const alpha = options.alpha ?? 0.05;
  assertAlternative(action, alternative);
  assertAdjustment(action, adjustment);
  assertAlpha(action, alpha);
  return { alternative, adjustment, alpha };
}

/** One comparison asked of {@link compareFamily}. */
export interface ComparisonPair {
  /** Name of the tested group. */
  group: string;
  /** Name of what it is tested against (a baseline group, "rest", ...). */
  against: string;
  /** Counts of the tested group. */
  groupCounts: Counts;
  /** Counts of the group it is tested against. */
  againstCounts: Counts;
}

/** The result of one comparison of a family. */
export interface ComparisonTest {
  /** Name of the tested group. */
  group: string;
  /** Name of what it was tested against. */
  against: string;
  /** Rate of the group minus rate of the other. */
  diff: number;
  /** Pooled two-proportion z statistic (see `proportionsZTest`). */
  z: number;
  /** Raw p-value of this test alone. */
  pValue: number;
  /** p-value adjusted over the family of tests actually run. */
  pAdjusted: number;
}

/** The result of {@link compareFamily}. */
export interface ComparisonFamily {
  /** One entry per pair, in order; null when a side was empty (no test run). */
  tests: (ComparisonTest | null)[];
  /** Number of tests run: the family size m of the adjustment. */
  testsTried: number;
}

/**
 * Run a family of two-proportion z-tests and adjust their p-values together.
 * A pair with an empty side (n = 0) is not tested: its entry is null and it
 * does not count in `testsTried`. Every other pair is tested, including those
 * whose pooled proportion is 0 or 1 (z = 0, p = 1 two-sided), and the
 * adjustment runs over exactly those `testsTried` p-values.
 *
 * @example
 * ```ts
 * const fam = compareFamily([
 *   { group: "hi", against: "lo", groupCounts: { n: 50, positives: 30 },
 *     againstCounts: { n: 50, positives: 20 } },
 *   { group: "mid", against: "lo", groupCounts: { n: 0, positives: 0 },
 *     againstCounts: { n: 50, positives: 20 } },
 * ], { alternative: "two-sided", adjustment: "holm", alpha: 0.05 });
 * fam.testsTried; // 1
 * fam.tests[1]; // null
 * ```
 */
export function compareFamily(
  pairs: readonly ComparisonPair[],
  options: ResolvedCompareOptions,
): ComparisonFamily {
  const tests: (ComparisonTest | null)[] = [];
  const raw: number[] = [];
  const slots: number[] = [];
  for (const pair of pairs) {
    const g = pair.groupCounts;
    const b = pair.againstCounts;
    if (g.n === 0 || b.n === 0) {
      tests.push(null);
      continue;
    }
    const r = proportionsZTest(g.positives, g.n, b.positives, b.n, options.alternative);
    slots.push(tests.length);
    raw.push(r.pValue);
    tests.push({
      group: pair.group,
      against: pair.against,
      diff: r.diff,
      z: r.z,
      pValue: r.pValue,
      pAdjusted: NaN,
    });
  }
  const adjusted = adjustPValues(raw, options.adjustment);
  for (let k = 0; k < slots.length; k++) tests[slots[k]]!.pAdjusted = adjusted[k];
  return { tests, testsTried: raw.length };
}
