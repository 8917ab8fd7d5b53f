/**
 * Two-proportion z-test with pooled variance, as statsmodels
 * `proportions_ztest([count1, count2], [n1, n2], alternative=...)`.
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/**
 * The alternative hypothesis about p1 - p2: `"two-sided"` (p1 != p2),
 * `"larger"` (p1 > p2) or `"smaller"` (p1 < p2), named as in statsmodels.
 */
export type Alternative = "two-sided" | "larger" | "smaller";

/** The result of {@link proportionsZTest}. */
export interface ZTestResult {
  /** The z statistic (p1 - p2) / se; 0 when the pooled variance is 0. */
  z: number;
  /** The p-value under the chosen alternative. */
  pValue: number;
  /** The difference of the sample proportions, count1 / n1 - count2 / n2. */
  diff: number;
  /** The pooled proportion (count1 + count2) / (n1 + n2). */
  pooled: number;
}

const ACTION = "run two-proportion z-test";

function checkCounts(name: string, count: number, nName: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot ${ACTION}: ${nName} must be an integer >= 1, current value is ${String(n)}`,
    );
  }
  if (!Number.isSafeInteger(count) || count < 0 || count > n) {
    throw new RangeError(
      `Cannot ${ACTION}: ${name} must be an integer in [0, ${n}], current value is ${
        String(count)
      }`,
    );
  }
}

/**
 * Check an alternative name; throws a RangeError for anything else.
 *
 * @example
 * ```ts
 * assertAlternative("analyze buckets", "larger"); // passes
 * ```
 */
export function assertAlternative(action: string, alternative: Alternative): void {
  if (alternative !== "two-sided" && alternative !== "larger" && alternative !== "smaller") {
    throw new RangeError(
      `Cannot ${action}: alternative must be "two-sided", "larger" or "smaller", current value is ${
        JSON.stringify(alternative)
      }`,
    );
  }
}

/**
 * Two-proportion z-test of H0: p1 = p2 with the pooled variance
 *
 *   p = (count1 + count2) / (n1 + n2),   se = sqrt(p (1 - p) (1 / n1 + 1 / n2)),
 *   z = (count1 / n1 - count2 / n2) / se,
 *
 * and the p-value from the standard normal: 2 * (1 - Phi(|z|)) for
 * `"two-sided"`, 1 - Phi(z) for `"larger"`, Phi(z) for `"smaller"` (upper and
 * lower tails are computed directly, not as 1 - x, so tiny p-values keep their
 * precision). The arithmetic follows statsmodels 0.13.5 `proportions_ztest`
 * (`value=0`, `prop_var=False`) and agrees with it within 1e-12 on z and the
 * p-value (checked by `tests/research_oracle_test.ts`), with one deliberate
 * difference: when the pooled proportion is 0 or 1 (no positives, or all
 * positives, in both samples) the variance is 0 and statsmodels returns NaN;
 * here the two samples agree exactly, so z = 0 and the p-value is 1
 * (two-sided) or 0.5 (one-sided), as for any other pair of equal proportions.
 *
 * The normal approximation is poor for small counts (a common rule asks for at
 * least 5 successes and 5 failures in each sample); the test still runs, and
 * the Wilson intervals beside it in the bucket tables show the uncertainty.
 *
 * @param count1 Successes in sample 1, an integer in [0, n1].
 * @param n1 Size of sample 1, an integer >= 1.
 * @param count2 Successes in sample 2, an integer in [0, n2].
 * @param n2 Size of sample 2, an integer >= 1.
 * @param alternative The alternative hypothesis; default `"two-sided"`.
 * @throws RangeError for an empty sample, bad counts or an unknown alternative.
 *
 * @example
 * ```ts
 * proportionsZTest(30, 50, 20, 50);
 * // { z: 1.9999999999999996, pValue: 0.0455002638963584..., diff: 0.19999999999999996, pooled: 0.5 }
 * proportionsZTest(30, 50, 20, 50, "larger").pValue; // 0.0227501319481792...
 * proportionsZTest(0, 10, 0, 20); // { z: 0, pValue: 1, diff: 0, pooled: 0 }
 * ```
 */
export function proportionsZTest(
  count1: number,
  n1: number,
  count2: number,
  n2: number,
  alternative: Alternative = "two-sided",
): ZTestResult {
  checkCounts("count1", count1, "n1", n1);
  checkCounts("count2", count2, "n2", n2);
  assertAlternative(ACTION, alternative);
  const diff = count1 * 1 / n1 - count2 * 1 / n2;
  const pooled = (count1 + count2) * 1 / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) {
    // Pooled proportion 0 or 1: both samples are all failures or all successes.
    return { z: 0, pValue: alternative === "two-sided" ? 1 : 0.5, diff, pooled };
  }
  const z = diff / Math.sqrt(variance);
  let pValue: number;
  if (alternative === "two-sided") pValue = normalCdf(-Math.abs(z), 0, 1) * 2;
  else if (alternative === "larger") pValue = normalCdf(-z, 0, 1);
  else pValue = normalCdf(z, 0, 1);
  return { z, pValue, diff, pooled };
}
