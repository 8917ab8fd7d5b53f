/**
 * Factor stacking: the joint condition of two factors against each alone and
 * against neither, with rates, Wilson intervals, z-tests and adjusted p-values.
 *
 * @module
 */

import { type ClvStats, clvStats } from "./clv_stats.ts";
import {
  compareFamily,
  type CompareOptions,
  type ComparisonTest,
  resolveCompareOptions,
} from "./comparisons.ts";
import {
  assertCondition,
  type FactorCondition,
  formatCondition,
  meetsCondition,
} from "./condition.ts";
import type { Adjustment } from "./multiple_testing.ts";
import type { Alternative } from "./proportion_ztest.ts";
import { assertSignals, type Signal } from "./signal.ts";

/**
 * A condition given per signal: `mask[i]` says whether signals[i] meets it;
 * undefined leaves the signal out of the analysis (for example a trailing
 * threshold still warming up; see `trailingMask`).
 */
export interface ConditionMask {
  /** A label for reports. */
  label: string;
  /** One entry per signal. */
  mask: readonly (boolean | undefined)[];
}

/** A fixed factor condition or a per-signal mask. */
export type StackCondition = FactorCondition | ConditionMask;

/** The four disjoint cells of two conditions A and B. */
export interface StackCells {
  /** A and B. */
  both: ClvStats;
  /** A and not B. */
  aOnly: ClvStats;
  /** B and not A. */
  bOnly: ClvStats;
  /** Neither A nor B. */
  neither: ClvStats;
}

/** The z-tests of {@link stackFactors}; null when a side is empty. */
export interface StackTests {
  /** Both vs A only: does B add to A? */
  bothVsAOnly: ComparisonTest | null;
  /** Both vs B only: does A add to B? */
  bothVsBOnly: ComparisonTest | null;
  /** Both vs neither. */
  bothVsNeither: ComparisonTest | null;
  /** A only vs neither: A without B. */
  aOnlyVsNeither: ComparisonTest | null;
  /** B only vs neither: B without A. */
  bOnlyVsNeither: ComparisonTest | null;
}

/** The result of {@link stackFactors}. */
export interface StackingReport {
  /** Label of condition A. */
  a: string;
  /** Label of condition B. */
  b: string;
  /** The four disjoint cells. */
  cells: StackCells;
  /** All signals meeting A (both + A only), for reference; not tested. */
  aAll: ClvStats;
  /** All signals meeting B (both + B only), for reference; not tested. */
  bAll: ClvStats;
  /** All signals analysed (excluded ones left out). */
  all: ClvStats;
  /** Signals left out because a mask was undefined for them. */
  excluded: number;
  /** The five comparisons of disjoint cells. */
  tests: StackTests;
  /** Alternative of the z-tests (first cell vs second). */
  alternative: Alternative;
  /** Adjustment over the tests run. */
  adjustment: Adjustment;
  /** Number of z-tests run (of five): the family size. */
  testsTried: number;
}

function isMask(c: StackCondition): c is ConditionMask {
  return c !== null && typeof c === "object" && "mask" in c;
}

function conditionLabel(action: string, c: StackCondition, n: number, name: string): string {
  if (isMask(c)) {
    if (typeof c.label !== "string" || c.label.length === 0) {
      throw new RangeError(
        `Cannot ${action}: ${name}.label must be a non-empty string, current value is ${
          JSON.stringify(c.label)
        }`,
      );
    }
    if (!Array.isArray(c.mask) || c.mask.length !== n) {
      throw new RangeError(
        `Cannot ${action}: ${name}.mask must have one entry per signal (${n}), current value is ${
          Array.isArray(c.mask) ? `length ${c.mask.length}` : String(c.mask)
        }`,
      );
    }
    c.mask.forEach((m, i) => {
      if (m !== true && m !== false && m !== undefined) {
        throw new RangeError(
          `Cannot ${action}: ${name}.mask[${i}] must be true, false or undefined, ` +
            `current value is ${String(m)}`,
        );
      }
    });
    return c.label;
  }
  assertCondition(action, c);
  return formatCondition(c);
}

/**
 * Stack two conditions A and B (fixed factor conditions such as
 * `{ factor: "skew", op: ">=", threshold: 0.6 }`, or per-signal masks such as
 * a trailing threshold's): the signals are split into the four disjoint cells
 * both / A only / B only / neither, each summarized by {@link clvStats}, and
 * five pooled two-proportion z-tests compare disjoint cells (so the samples of
 * each test are independent): both vs A only (does B add to A?), both vs B
 * only, both vs neither, A only vs neither and B only vs neither. Their
 * p-values are adjusted together (Holm by default); `testsTried` counts the
 * tests run. The marginals `aAll` and `bAll` (A or B regardless of the other)
 * are reported for reading, not tested, since they overlap the cells. A signal
 * with an undefined mask entry is left out of everything and counted in
 * `excluded`.
 *
 * @throws RangeError for a missing or NaN factor, a bad condition or mask, bad options.
 *
 * @example
 * ```ts
 * const s = (x: number, y: number, clv: number) =>
 *   ({ ts: 0, market: "M", side: "yes" as const, clv, factors: { x, y } });
 * const r = stackFactors(
 *   [s(1, 1, 5), s(1, 1, 3), s(1, 0, -1), s(1, 0, 2), s(0, 1, -2), s(0, 0, -1)],
 *   { factor: "x", op: ">=", threshold: 1 },
 *   { factor: "y", op: ">=", threshold: 1 },
 * );
 * r.cells.both.rate; // 1
 * r.cells.aOnly.rate; // 0.5
 * r.testsTried; // 5
 * ```
 */
export function stackFactors(
  signals: readonly Signal[],
  a: StackCondition,
  b: StackCondition,
  options: CompareOptions = {},
): StackingReport {
  const action = "stack factors";
  const opts = resolveCompareOptions(action, options);
  assertSignals(action, signals, false);
  const la = conditionLabel(action, a, signals.length, "a");
  const lb = conditionLabel(action, b, signals.length, "b");
  const cells: Signal[][] = [[], [], [], []]; // both, aOnly, bOnly, neither
  let excluded = 0;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    const ia = isMask(a) ? a.mask[i] : meetsCondition(action, s, a, i);
    const ib = isMask(b) ? b.mask[i] : meetsCondition(action, s, b, i);
    if (ia === undefined || ib === undefined) {
      excluded++;
      continue;
    }
    cells[ia ? (ib ? 0 : 1) : (ib ? 2 : 3)].push(s);
  }
  const [both, aOnly, bOnly, neither] = cells.map((c) => clvStats(c, opts.alpha));
  const names = ["both", "a-only", "b-only", "neither"];
  const stats = [both, aOnly, bOnly, neither];
  const pairs: [number, number][] = [[0, 1], [0, 2], [0, 3], [1, 3], [2, 3]];
  const family = compareFamily(
    pairs.map(([g, h]) => ({
      group: names[g],
      against: names[h],
      groupCounts: stats[g],
      againstCounts: stats[h],
    })),
    opts,
  );
  const [bothVsAOnly, bothVsBOnly, bothVsNeither, aOnlyVsNeither, bOnlyVsNeither] = family.tests;
  return {
    a: la,
    b: lb,
    cells: { both, aOnly, bOnly, neither },
    aAll: clvStats([...cells[0], ...cells[1]], opts.alpha),
    bAll: clvStats([...cells[0], ...cells[2]], opts.alpha),
    all: clvStats(cells.flat(), opts.alpha),
    excluded,
    tests: { bothVsAOnly, bothVsBOnly, bothVsNeither, aOnlyVsNeither, bOnlyVsNeither },
    alternative: opts.alternative,
    adjustment: opts.adjustment,
    testsTried: family.testsTried,
  };
}
