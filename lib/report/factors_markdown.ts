/**
 * The factor report of one backtest run and one factor (`deno task factors`):
 * its data model ({@link FactorReportData}, which the HTML renderer in
 * `./factors_html.ts` takes too) and the Markdown rendering.
 *
 * The Markdown tables are padded so the same text reads well in a terminal
 * (the task prints it) and renders as tables in a Markdown viewer.
 *
 * Pure: returns a string, writes nothing.
 *
 * @example
 * ```ts
 * import { renderFactorsMarkdown, type FactorReportData } from "./factors_markdown.ts";
 * declare const data: FactorReportData;
 * console.log(renderFactorsMarkdown(data));
 * ```
 *
 * @module
 */

import type { ClvStats } from "../research/clv_stats.ts";
import type { Alternative } from "../research/proportion_ztest.ts";
import type { WindowStatus } from "../research/stability.ts";
import { formatDollars, SYNTHETIC_WARNING } from "./markdown.ts";

/** CLV statistics of a group of signals with its realized PnL. */
export interface GroupSummary extends ClvStats {
  /** The group's name. */
  label: string;
  /** Sum of the realized PnL (ticks) of the signals whose PnL is known. */
  pnlTicks: number;
  /** Signals whose PnL is known (settled). */
  pnlKnown: number;
}

/** One two-proportion z-test with its raw and adjusted p-values. */
export interface FactorTest {
  /** What was compared: "skew [0.5, inf) vs rest". */
  name: string;
  /** Rate of the first group minus the second's. */
  diff: number;
  z: number;
  /** Raw p-value. */
  pValue: number;
  /** Holm adjusted over the tests of its own table. */
  pHolm: number;
  /** Benjamini-Hochberg adjusted over the tests of its own table. */
  pBh: number;
}

/** One bucket of the factor. */
export interface FactorBucket extends GroupSummary {
  /** Lower edge, inclusive (-Infinity for the first). */
  lo: number;
  /** Upper edge, exclusive (Infinity for the last). */
  hi: number;
  /** "baseline", "tested" (a z-test ran) or "untested" (a side was empty). */
  role: "baseline" | "tested" | "untested";
  /** The z-test of the bucket against the baseline or the rest; null when untested or baseline. */
  test: FactorTest | null;
  /** The CLV of each of its signals, ticks (for the distribution chart). */
  clv: number[];
}

/** The rates of positive CLV per bucket in one window of the stability check. */
export interface StabilityWindowRow {
  /** "whole sample" or "last 7 days". */
  label: string;
  /** Window length in days; null for the whole sample. */
  days: number | null;
  /** Signals with start < ts <= end (start -Infinity for the whole sample). */
  start: number;
  end: number;
  /** Signals in the window. */
  n: number;
  /** Rate of the effect bucket minus its comparison's; NaN when not computable. */
  effect: number;
  /** How the effect compares with the whole sample's. */
  status: WindowStatus;
  /** Z-tests the window's bucket table ran. */
  testsTried: number;
  /** Per bucket (same buckets as the main table). */
  buckets: {
    label: string;
    n: number;
    positives: number;
    rate: number;
    wilsonLo: number;
    wilsonHi: number;
  }[];
}

/** Everything one factor report shows. */
export interface FactorReportData {
  /** Page title. */
  title: string;
  /** The run analysed. */
  run: {
    id: number;
    strategy: string;
    seed: number;
    status: string;
    digest: string | null;
    codeVersion: string;
    tapes: string[];
    dbPath: string;
  };
  /** Whether the run replayed SYNTHETIC tapes (the report says so in large letters). */
  synthetic: boolean;
  /** The factor and what it measures. */
  factor: string;
  factorDescription: string;
  /** Which decision rows became the signals analysed. */
  selection: {
    /** Decision rows recorded for the run. */
    decisions: number;
    /** Left out: never filled (0 when unfilled orders are included). */
    unfilled: number;
    /** Left out: CLV not finite. */
    nanClv: number;
    /** Left out: no finite value of this factor. */
    missingFactor: number;
    /** Signals analysed. */
    signals: number;
    includeUnfilled: boolean;
  };
  /** How the buckets were cut and what they are tested against. */
  bucketing: {
    /** "4 quantile buckets" or "fixed cuts 0.3, 0.5". */
    method: string;
    cuts: number[];
    /** Quantile cuts use the whole sample (later signals included). */
    inSample: boolean;
    /** "rest" or the baseline bucket's label. */
    against: string;
    alternative: Alternative;
  };
  /** All signals analysed together. */
  overall: GroupSummary;
  /** The bucket table. */
  buckets: FactorBucket[];
  /** Number of z-tests in the bucket table: the family size of its Holm / BH columns. */
  testsTried: number;
  /** Expanding rate of positive CLV per bucket, after each signal in time order. */
  overTime: { ts: number[]; buckets: { label: string; rate: (number | null)[] }[] };
  /** The bucket table over trailing windows ending at the last signal. */
  stability: {
    effectBucket: string;
    against: string;
    collapseFraction: number;
    /** Days from the first signal to the last. */
    spanDays: number;
    /** True when any window's effect collapsed or flipped. */
    collapsed: boolean;
    windows: StabilityWindowRow[];
  };
  /** Split by a trailing percentile of the factor (no look-ahead), when asked. */
  trailing?: {
    /** Quantile level, 0.75 for the top 25%. */
    quantile: number;
    windowDays: number;
    minObs: number;
    op: string;
    meets: GroupSummary;
    misses: GroupSummary;
    warmUp: GroupSummary;
    /** Meets vs misses; null when a side is empty. */
    test: FactorTest | null;
    /** Per signal in time order: value, threshold (null in warm-up), positive CLV. */
    series: { ts: number[]; value: number[]; threshold: (number | null)[]; positive: boolean[] };
  };
  /** Two factors stacked, when asked. */
  stacking?: {
    a: string;
    b: string;
    /** How the thresholds were chosen (for example in-sample medians). */
    note: string;
    /** Signals analysed (with finite values of both factors). */
    n: number;
    /** Signals without a finite value of one of the two factors. */
    excluded: number;
    /** both, A only, B only, neither. */
    cells: GroupSummary[];
    tests: FactorTest[];
    testsTried: number;
  };
  /** The factor gate applied to the run's signals after the fact, when asked. */
  gate?: {
    mode: "shadow" | "enforce";
    factor: string;
    /** The rule in words: "skew >= 0.5" or "skew >= trailing q0.75 (30 d, 20 obs)". */
    rule: string;
    /** Signals decided (with a finite gate factor). */
    decided: number;
    /** Signals left out for lack of a finite gate factor value. */
    excluded: number;
    passed: GroupSummary;
    failed: GroupSummary;
    delivered: GroupSummary;
    suppressed: GroupSummary;
    /** Passed vs failed; null when a side is empty. */
    test: FactorTest | null;
    /** Cumulative realized PnL (ticks) of passed and failed signals, in time order. */
    series: { ts: number[]; passed: number[]; failed: number[] };
  };
  /**
   * Every z-test run by this command (all factors, splits, stacks and the
   * gate), adjusted together: `pHolm` and `pBh` here are over the whole family.
   */
  family: { tests: FactorTest[]; testsTried: number; factors: string[] };
}

/** A statistic with `d` decimals; "n/a" when not finite. */
export function fmt(x: number, d = 3): string {
  if (!Number.isFinite(x)) return "n/a";
  const s = x.toFixed(d);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A p-value: 4 decimals, or 2 significant digits in exponent form below 1e-4. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return "n/a";
  if (p === 0) return "0";
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** A Wilson interval "[0.412, 0.588]", "n/a" for an empty group. */
export function fmtInterval(g: Pick<ClvStats, "n" | "wilsonLo" | "wilsonHi">): string {
  return g.n === 0 ? "n/a" : `[${fmt(g.wilsonLo)}, ${fmt(g.wilsonHi)}]`;
}

/** A time as "2026-01-05 14:01:00Z"; "start" for -Infinity. */
export function fmtTime(ms: number): string {
  if (ms === -Infinity) return "start";
  if (!Number.isFinite(ms)) return "n/a";
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ") + "Z";
}

/** A Markdown table with padded columns; `num[i]` right-aligns column i. */
export function mdTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  num: readonly boolean[] = [],
): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const cells = [head.map(esc), ...rows.map((r) => r.map(esc))];
  const w = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    "| " +
    r.map((c, i) => (num[i] ? c.padStart(w[i]) : c.padEnd(w[i]))).join(" | ") +
    " |";
  const rule = "| " + w.map((n, i) => (num[i] ? "-".repeat(n - 1) + ":" : "-".repeat(n)))
    .join(" | ") +
    " |";
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

/** The header and rows of a group table (n, positives, rate, Wilson, CLV, PnL). */
export function groupColumns(): { head: string[]; num: boolean[] } {
  return {
    head: ["group", "n", "pos", "rate", "Wilson 95%", "mean CLV", "median CLV", "PnL ($)"],
    num: [false, true, true, true, false, true, true, true],
  };
}

/** One group's cells for {@link groupColumns}. */
export function groupCells(g: GroupSummary): string[] {
  return [
    g.label,
    String(g.n),
    String(g.positives),
    fmt(g.rate),
    fmtInterval(g),
    fmt(g.meanClv, 1),
    fmt(g.medianClv, 1),
    g.pnlKnown === 0 ? "n/a" : formatDollars(g.pnlTicks),
  ];
}

/** The header of a test table. */
export const TEST_HEAD = ["test", "diff", "z", "p", "p Holm", "p BH"];
const TEST_NUM = [false, true, true, true, true, true];

/** One test's cells for {@link TEST_HEAD}. */
export function testCells(t: FactorTest): string[] {
  return [t.name, fmt(t.diff), fmt(t.z, 2), fmtP(t.pValue), fmtP(t.pHolm), fmtP(t.pBh)];
}

/** The bucket table's header, numeric flags and cells. */
export function bucketTable(d: FactorReportData): {
  head: string[];
  num: boolean[];
  rows: string[][];
} {
  const head = [
    "bucket",
    "n",
    "pos",
    "rate",
    "Wilson 95%",
    "mean CLV",
    "median CLV",
    "PnL ($)",
    `z vs ${d.bucketing.against}`,
    "p",
    "p Holm",
    "p BH",
  ];
  const num = [false, true, true, true, false, true, true, true, true, true, true, true];
  const rows = d.buckets.map((b) => {
    const g = groupCells(b);
    const t = b.test;
    return [
      ...g,
      b.role === "baseline" ? "baseline" : t === null ? "untested" : fmt(t.z, 2),
      t === null ? "" : fmtP(t.pValue),
      t === null ? "" : fmtP(t.pHolm),
      t === null ? "" : fmtP(t.pBh),
    ];
  });
  return { head, num, rows };
}

/** The stability table: one row per window, a rate (n) column per bucket. */
export function stabilityTable(d: FactorReportData): {
  head: string[];
  num: boolean[];
  rows: string[][];
} {
  const labels = d.buckets.map((b) => b.label);
  const head = ["window", "from", "n", ...labels, "effect", "status"];
  const num = [false, false, true, ...labels.map(() => true), true, false];
  const rows = d.stability.windows.map((w) => [
    w.label,
    fmtTime(w.start),
    String(w.n),
    ...w.buckets.map((b) => (b.n === 0 ? "- (0)" : `${fmt(b.rate)} (${b.n})`)),
    fmt(w.effect),
    w.status,
  ]);
  return { head, num, rows };
}

/**
 * A note when some windows are at least as long as the run: they hold every
 * signal and cannot differ from the whole sample. Empty otherwise.
 */
export function spanNote(d: FactorReportData): string {
  const st = d.stability;
  const full = st.windows.filter((w) => w.days !== null && w.days >= st.spanDays)
    .map((w) => w.days);
  if (full.length === 0) return "";
  return `The signals span ${fmt(st.spanDays, 2)} days, so the ${full.join(", ")}-day window${
    full.length > 1 ? "s hold" : " holds"
  } every signal and cannot differ from ` +
    `the whole sample; stability needs a longer run.`;
}

/** The lines explaining how signals were selected. */
export function selectionText(d: FactorReportData): string {
  const s = d.selection;
  const kept = s.includeUnfilled
    ? "all orders, filled or not (CLV of unfilled orders is measured from their limit price)"
    : "filled orders only (CLV from the average fill price)";
  return `${s.decisions} decisions recorded; signals are ${kept}. Left out: ${s.unfilled} ` +
    `unfilled, ${s.nanClv} with no closing line (CLV not finite), ${s.missingFactor} without a ` +
    `finite ${d.factor}. Analysed: ${s.signals} signals.`;
}

/** Renders the factor report as Markdown. */
export function renderFactorsMarkdown(d: FactorReportData): string {
  const out: string[] = [];
  const title = `${d.synthetic ? "[SYNTHETIC] " : ""}${d.title}`;
  out.push(`# ${title}`, "");
  if (d.synthetic) out.push(`> **SYNTHETIC DATA.** ${SYNTHETIC_WARNING}`, "");
  out.push(
    mdTable(["item", "value"], [
      ["run", `${d.run.id} (${d.run.status})`],
      ["strategy", d.run.strategy],
      ["seed", String(d.run.seed)],
      ["digest", d.run.digest ?? "none"],
      ["code version", d.run.codeVersion],
      ["tapes", d.run.tapes.join(", ") || "none"],
      ["database", d.run.dbPath],
      ["factor", `${d.factor}: ${d.factorDescription}`],
    ]),
    "",
    selectionText(d),
    "",
    "CLV is in ticks of $0.0001 (100 ticks = 1 cent); a signal counts as positive when CLV > 0.",
    "",
  );

  out.push(`## Buckets of ${d.factor}`, "");
  out.push(
    `${d.bucketing.method}${
      d.bucketing.inSample
        ? " (cut at sample quantiles of the whole run: descriptive, not a rule a trader could " +
          "have applied at the time)"
        : ""
    }. Each bucket's rate of positive CLV is tested against ${
      d.bucketing.against === "rest"
        ? "all other buckets together"
        : `bucket ${d.bucketing.against}`
    } (pooled two-proportion z-test, ${d.bucketing.alternative}). Tests in this table: ` +
      `${d.testsTried}; Holm and BH adjust over them.`,
    "",
  );
  const bt = bucketTable(d);
  out.push(mdTable(bt.head, bt.rows, bt.num), "");
  const o = d.overall;
  out.push(
    `All signals: n ${o.n}, rate ${fmt(o.rate)} ${fmtInterval(o)}, mean CLV ${
      fmt(o.meanClv, 1)
    }, PnL ${o.pnlKnown === 0 ? "n/a" : "$" + formatDollars(o.pnlTicks)}.`,
    "",
  );

  const st = d.stability;
  out.push(`## Stability over trailing windows`, "");
  out.push(
    `Effect: rate of ${st.effectBucket} minus ${
      st.against === "rest" ? "the rest" : st.against
    }, same cuts in every window, windows end at the last signal. A window is "collapsed" below ` +
      `${st.collapseFraction} of the whole-sample effect and "flipped" at the opposite sign.`,
    "",
  );
  const sb = stabilityTable(d);
  out.push(mdTable(sb.head, sb.rows, sb.num), "");
  const note = spanNote(d);
  if (note) out.push(note, "");
  out.push(
    st.collapsed
      ? "**Flag: the effect collapses or flips in at least one window.**"
      : "No window collapses or flips (read with the counts: short windows are noisy).",
    "",
  );

  const { head: gh, num: gn } = groupColumns();
  if (d.trailing) {
    const t = d.trailing;
    out.push(`## Trailing percentile threshold`, "");
    out.push(
      `Each signal is compared with the q${t.quantile} of ${d.factor} over the signals of the ` +
        `previous ${t.windowDays} days strictly before it (no look-ahead; ${t.minObs} needed, ` +
        `else warm-up). Meets: value ${t.op} threshold.`,
      "",
      mdTable(gh, [t.meets, t.misses, t.warmUp].map(groupCells), gn),
      "",
    );
    if (t.test) out.push(mdTable(TEST_HEAD, [testCells(t.test)], TEST_NUM), "");
  }

  if (d.stacking) {
    const s = d.stacking;
    out.push(`## Stacking: ${s.a} and ${s.b}`, "");
    out.push(
      `${s.note} Signals analysed: ${s.n}; left out (a factor not finite): ${s.excluded}. ` +
        `Tests: ${s.testsTried}, adjusted together.`,
      "",
      mdTable(gh, s.cells.map(groupCells), gn),
      "",
      mdTable(TEST_HEAD, s.tests.map(testCells), TEST_NUM),
      "",
    );
  }

  if (d.gate) {
    const g = d.gate;
    out.push(`## Gate (${g.mode}): ${g.rule}`, "");
    out.push(
      `Applied after the fact to the run's signals in time order. ${g.decided} decided, ` +
        `${g.excluded} left out (no finite ${g.factor}). ${
          g.mode === "shadow"
            ? "Shadow: every signal is delivered; the failed ones are those enforce would suppress."
            : "Enforce: only passing signals are delivered."
        }`,
      "",
      mdTable(gh, [g.passed, g.failed, g.delivered, g.suppressed].map(groupCells), gn),
      "",
    );
    if (g.test) out.push(mdTable(TEST_HEAD, [testCells(g.test)], TEST_NUM), "");
  }

  const f = d.family;
  out.push(`## Every test this command ran`, "");
  out.push(
    `${f.testsTried} z-tests over ${f.factors.join(", ")} (bucket tables, splits, stacks, ` +
      `gate). Here Holm and BH adjust over all of them: a factor hunted among many needs to ` +
      `survive this column.`,
    "",
    mdTable(TEST_HEAD, f.tests.map(testCells), TEST_NUM),
    "",
  );
  return out.join("\n");
}
