/**
 * The bucket table: CLV statistics per group of signals, each group tested
 * against a baseline group (or against all the other groups), with the count
 * of tests and adjusted p-values.
 *
 * @module
 */

import { type ClvStats, clvStats } from "./clv_stats.ts";
import {
  compareFamily,
  type CompareOptions,
  type ComparisonPair,
  type ComparisonTest,
  resolveCompareOptions,
} from "./comparisons.ts";
import type { Adjustment } from "./multiple_testing.ts";
import type { Alternative } from "./proportion_ztest.ts";
import type { Signal } from "./signal.ts";

/** A labelled group of signals (a bucket, a threshold side, a cell of a stack). */
export interface SignalGroup {
  /** The group's label, unique in its table. */
  label: string;
  /** Its signals. */
  signals: readonly Signal[];
}

/** Options of {@link groupTable}. */
export interface GroupTableOptions extends CompareOptions {
  /**
   * Label of the baseline group every other group is tested against. Omitted:
   * each group is tested against all the other groups together ("rest").
   */
  baseline?: string;
}

/** One row of a {@link GroupTable}. */
export interface GroupRow extends ClvStats {
  /** The group's label. */
  label: string;
  /** "baseline" for the baseline group, "tested" when a test ran, else "untested". */
  role: "baseline" | "tested" | "untested";
  /** The z-test against the baseline or the rest; null for the baseline or an empty side. */
  test: ComparisonTest | null;
}

/** The result of {@link groupTable}. */
export interface GroupTable {
  /** One row per group, in the order given. */
  rows: GroupRow[];
  /** The baseline label, or "rest" when each group was tested against the others. */
  against: string;
  /** Alternative of the z-tests. */
  alternative: Alternative;
  /** Adjustment applied over the family of tests. */
  adjustment: Adjustment;
  /** Number of groups in the table. */
  groupsTried: number;
  /** Number of z-tests run (groups with both sides non-empty): the family size. */
  testsTried: number;
}

/**
 * The bucket table of labelled groups: for every group its n, positives, rate
 * of positive CLV with the Wilson interval, mean and median CLV
 * ({@link clvStats}); then a pooled two-proportion z-test of each group
 * against the baseline group (`options.baseline`) or, when no baseline is
 * named, against all the other groups' signals together. `alternative`
 * "larger" asks whether the group's rate is above the baseline's. The
 * p-values of the tests run are adjusted together (Holm by default), and
 * `testsTried` says how many there were. A group with no signals, or every
 * group when the baseline is empty, is "untested".
 *
 * The groups should be disjoint (a signal in one group only); the "rest" of a
 * group is the union of the others.
 *
 * @throws RangeError for duplicate or unknown labels, bad options or signals.
 *
 * @example
 * ```ts
 * const s = (clv: number) => ({ ts: 0, market: "M", side: "yes" as const, clv, factors: {} });
 * const t = groupTable([
 *   { label: "low", signals: [s(-5), s(3), s(-2), s(-1)] },
 *   { label: "high", signals: [s(5), s(3), s(2), s(-1)] },
 * ], { baseline: "low" });
 * t.rows[1].test; // { group: "high", against: "low", diff: 0.5, z: 1.4142..., pValue: 0.1573..., ... }
 * t.testsTried; // 1
 * ```
 */
export function groupTable(
  groups: readonly SignalGroup[],
  options: GroupTableOptions = {},
): GroupTable {
  const action = "compute bucket table";
  const opts = resolveCompareOptions(action, options);
  const seen = new Set<string>();
  for (const g of groups) {
    if (typeof g.label !== "string" || seen.has(g.label)) {
      throw new RangeError(
        `Cannot ${action}: group labels must be unique strings, current value is ${
          JSON.stringify(g.label)
        }`,
      );
    }
    seen.add(g.label);
  }
  const baseline = options.baseline;
  if (baseline !== undefined && !seen.has(baseline)) {
    throw new RangeError(
      `Cannot ${action}: baseline must be one of the group labels ${
        JSON.stringify([...seen])
      }, current value is ${JSON.stringify(baseline)}`,
    );
  }
  const stats = groups.map((g) => clvStats(g.signals, opts.alpha));
  let totalN = 0;
  let totalPos = 0;
  for (const s of stats) {
    totalN += s.n;
    totalPos += s.positives;
  }
  const baseIndex = baseline === undefined ? -1 : groups.findIndex((g) => g.label === baseline);
  const against = baseline ?? "rest";
  const pairs: ComparisonPair[] = [];
  const pairOf: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    if (i === baseIndex) {
      pairOf.push(-1);
      continue;
    }
    const againstCounts = baseIndex >= 0
      ? { n: stats[baseIndex].n, positives: stats[baseIndex].positives }
      : { n: totalN - stats[i].n, positives: totalPos - stats[i].positives };
    pairOf.push(pairs.length);
    pairs.push({
      group: groups[i].label,
      against,
      groupCounts: { n: stats[i].n, positives: stats[i].positives },
      againstCounts,
    });
  }
  const family = compareFamily(pairs, opts);
  const rows: GroupRow[] = groups.map((g, i) => {
    const test = pairOf[i] < 0 ? null : family.tests[pairOf[i]];
    const role = i === baseIndex ? "baseline" : test === null ? "untested" : "tested";
    return { label: g.label, role, ...stats[i], test };
  });
  return {
    rows,
    against,
    alternative: opts.alternative,
    adjustment: opts.adjustment,
    groupsTried: groups.length,
    testsTried: family.testsTried,
  };
}
