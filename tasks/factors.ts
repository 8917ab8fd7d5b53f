/**
 * `deno task factors`: factor analysis of one backtest run's signals. Reads the
 * run's decision rows from the results database, turns them into signals
 * (lib/research/signals.ts), and for each factor prints and writes the bucket
 * table, the stability check, and when asked a trailing-percentile split, a
 * stack of two factors and the factor gate applied after the fact. Run with
 * --help for the options.
 *
 * {@link buildFactorReports} is the pure part (rows in, report data out);
 * `main` does the I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, join } from "node:path";
import { ResultsDb, type RunRow } from "../lib/store/results_db.ts";
import type { DecisionRow } from "../lib/venue/decision_types.ts";
import {
  assertDecisionFactor,
  DECISION_FACTOR_DESCRIPTIONS,
  DECISION_FACTORS,
  type DecisionFactor,
  type DecisionInput,
  type DecisionSignal,
  signalsFromDecisions,
  withFactors,
} from "../lib/research/signals.ts";
import { bucketAnalysis, bucketIndex, type BucketSpec } from "../lib/research/buckets.ts";
import { clvStats } from "../lib/research/clv_stats.ts";
import type { ComparisonTest } from "../lib/research/comparisons.ts";
import {
  type Comparison,
  type FactorCondition,
  meetsCondition,
} from "../lib/research/condition.ts";
import { type GateConfig, gateSignals } from "../lib/research/gate.ts";
import { groupTable, type SignalGroup } from "../lib/research/group_table.ts";
import { adjustPValues } from "../lib/research/multiple_testing.ts";
import type { Alternative } from "../lib/research/proportion_ztest.ts";
import { quantileSorted } from "../lib/research/quantile.ts";
import { MS_PER_DAY, stability } from "../lib/research/stability.ts";
import { stackFactors } from "../lib/research/stacking.ts";
import { trailingSplit } from "../lib/research/trailing_threshold.ts";
import type { Signal } from "../lib/research/signal.ts";
import {
  type FactorReportData,
  type FactorTest,
  type GroupSummary,
  renderFactorsMarkdown,
} from "../lib/report/factors_markdown.ts";
import { renderFactorsHtml } from "../lib/report/factors_html.ts";
import { loadPlotlySource } from "../lib/report/plotly_source.ts";

/** A stacked factor: fixed threshold and comparison, or (threshold undefined) the sample median. */
export interface StackSide {
  factor: DecisionFactor;
  op: Comparison;
  threshold?: number;
}

/** The gate as asked on the command line. */
export interface GateOptions {
  mode: "shadow" | "enforce";
  factor: DecisionFactor;
  /** ">=" for --gate-min and --gate-pct, "<=" for --gate-max. */
  op: Comparison;
  /** A fixed threshold, or undefined for a trailing percentile. */
  threshold?: number;
  /** Trailing percentile (0-100) when threshold is undefined. */
  pct?: number;
  windowDays: number;
  minObs: number;
}

/** What to analyse. */
export interface FactorOptions {
  factors: DecisionFactor[];
  spec: BucketSpec;
  /** Baseline bucket index; undefined: each bucket against the rest. */
  baseline?: number;
  alternative: Alternative;
  windowsDays: number[];
  includeUnfilled: boolean;
  /** Trailing percentile split: top `pct`% over `windowDays`, after `minObs`. */
  trailing?: { pct: number; windowDays: number; minObs: number };
  stack?: [StackSide, StackSide];
  gate?: GateOptions;
}

/** Most points of the over-time series (evenly thinned beyond that). */
const MAX_SERIES_POINTS = 2000;

function summary(label: string, signals: readonly Signal[]): GroupSummary {
  let pnl = 0;
  let known = 0;
  for (const s of signals) {
    if (s.pnl !== undefined) {
      pnl += s.pnl;
      known++;
    }
  }
  return { label, ...clvStats(signals), pnlTicks: pnl, pnlKnown: known };
}

function testOf(name: string, holm: ComparisonTest | null, bh: ComparisonTest | null) {
  if (holm === null || bh === null) return null;
  return {
    name,
    diff: holm.diff,
    z: holm.z,
    pValue: holm.pValue,
    pHolm: holm.pAdjusted,
    pBh: bh.pAdjusted,
  };
}

function thinIndices(n: number): number[] {
  if (n <= MAX_SERIES_POINTS) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < MAX_SERIES_POINTS; k++) {
    out.push(Math.round((k * (n - 1)) / (MAX_SERIES_POINTS - 1)));
  }
  return out;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/**
 * Bucket labels with edges shown to 6 significant digits ("[0.395959, 0.478415)"),
 * or the exact labels when rounding would make two of them equal.
 */
function displayLabels(exact: readonly string[], cuts: readonly number[]): string[] {
  const edges = [-Infinity, ...cuts, Infinity];
  const edge = (x: number) => (x === -Infinity ? "-inf" : x === Infinity ? "inf" : formatNumber(x));
  const short = exact.map((_, j) => `[${edge(edges[j])}, ${edge(edges[j + 1])})`);
  return new Set(short).size === short.length ? short : [...exact];
}

function describeSpec(spec: BucketSpec, cuts: readonly number[]): string {
  if ("quantiles" in spec) {
    return `${spec.quantiles} quantile buckets (cuts ${
      cuts.map(formatNumber).join(", ") || "none"
    })`;
  }
  return `fixed cuts ${spec.cuts.map(formatNumber).join(", ") || "none"}`;
}

function median(values: number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

function isSynthetic(tapes: readonly string[]): boolean {
  return tapes.some((t) => basename(t).toLowerCase().startsWith("synthetic"));
}

function parseTapes(run: RunRow): string[] {
  try {
    const t = JSON.parse(run.tapes);
    return Array.isArray(t) ? t.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * The factor reports of one run: one {@link FactorReportData} per factor in
 * `opts.factors`, from the run's decision rows. Every z-test run for any of
 * the reports (bucket tables of every factor, trailing splits, the stack, the
 * gate) is collected in `family` and adjusted together.
 *
 * @throws RangeError "Cannot analyze factors: ..." when the run has no
 * decisions, no signal survives the selection, or no signal has a finite value
 * of a factor asked for; the analyses' own errors for bad options.
 */
export function buildFactorReports(
  run: RunRow,
  dbPath: string,
  rows: readonly DecisionInput[],
  opts: FactorOptions,
): FactorReportData[] {
  const action = "analyze factors";
  if (opts.factors.length === 0) {
    throw new RangeError(`Cannot ${action}: give at least one factor, current value is none`);
  }
  for (const f of opts.factors) assertDecisionFactor(action, f);
  if (rows.length === 0) {
    throw new RangeError(
      `Cannot ${action}: run ${run.id} recorded no decisions (the strategy sent no orders), ` +
        `current value is 0 decisions`,
    );
  }
  const ds = signalsFromDecisions(rows, { includeUnfilled: opts.includeUnfilled });
  if (ds.signals.length === 0) {
    throw new RangeError(
      `Cannot ${action}: run ${run.id} has no signals (${ds.total} decisions: ${ds.unfilled} ` +
        `unfilled, ${ds.nanClv} without a closing line${
          opts.includeUnfilled ? "" : "; try --include-unfilled"
        }), current value is 0 signals`,
    );
  }
  const tapes = parseTapes(run);
  const shared = buildShared(ds.signals, opts);
  const reports = opts.factors.map((factor) => {
    const sub = withFactors(ds.signals, [factor]);
    if (sub.signals.length === 0) {
      throw new RangeError(
        `Cannot ${action}: no signal of run ${run.id} has a finite ${factor} (${
          sub.missing[factor]
        } of ${ds.signals.length} lack it), current value is 0 signals`,
      );
    }
    return buildOne(factor, sub.signals, sub.missing[factor], opts);
  });

  // The family: every test of every report plus the shared sections, adjusted together.
  const familyRaw: { name: string; t: FactorTest }[] = [];
  for (const r of reports) {
    for (const b of r.part.buckets) if (b.test) familyRaw.push({ name: b.test.name, t: b.test });
    if (r.part.trailing?.test) {
      familyRaw.push({ name: r.part.trailing.test.name, t: r.part.trailing.test });
    }
  }
  for (const t of shared.stacking?.tests ?? []) familyRaw.push({ name: t.name, t });
  if (shared.gate?.test) familyRaw.push({ name: shared.gate.test.name, t: shared.gate.test });
  const raw = familyRaw.map((x) => x.t.pValue);
  const holm = adjustPValues(raw, "holm");
  const bh = adjustPValues(raw, "bh");
  const family = {
    tests: familyRaw.map((x, i) => ({ ...x.t, pHolm: holm[i], pBh: bh[i] })),
    testsTried: raw.length,
    factors: [...opts.factors],
  };

  return reports.map(({ factor, part }) => ({
    title: `Factor analysis: ${factor}, run ${run.id} (${run.strategy})`,
    run: {
      id: run.id,
      strategy: run.strategy,
      seed: run.seed,
      status: run.status,
      digest: run.digest,
      codeVersion: run.codeVersion,
      tapes,
      dbPath,
    },
    synthetic: isSynthetic(tapes),
    factor,
    factorDescription: DECISION_FACTOR_DESCRIPTIONS[factor],
    selection: {
      decisions: ds.total,
      unfilled: ds.unfilled,
      nanClv: ds.nanClv,
      missingFactor: part.missing,
      signals: part.n,
      includeUnfilled: ds.includeUnfilled,
    },
    bucketing: part.bucketing,
    overall: part.overall,
    buckets: part.buckets,
    testsTried: part.testsTried,
    overTime: part.overTime,
    stability: part.stability,
    ...(part.trailing ? { trailing: part.trailing } : {}),
    ...(shared.stacking ? { stacking: shared.stacking } : {}),
    ...(shared.gate ? { gate: shared.gate } : {}),
    family,
  }));
}

function buildOne(
  factor: DecisionFactor,
  signals: DecisionSignal[],
  missing: number,
  opts: FactorOptions,
) {
  const cmp = { baseline: opts.baseline, alternative: opts.alternative };
  const holm = bucketAnalysis(signals, factor, opts.spec, { ...cmp, adjustment: "holm" });
  const bh = bucketAnalysis(signals, factor, opts.spec, { ...cmp, adjustment: "bh" });
  const cuts = holm.cuts;
  const labels = displayLabels(holm.rows.map((r) => r.label), cuts);
  const show = (label: string) => {
    const j = holm.rows.findIndex((r) => r.label === label);
    return j < 0 ? label : labels[j];
  };
  const members: DecisionSignal[][] = holm.rows.map(() => []);
  const bucketOf = signals.map((s) => bucketIndex(s.factors[factor], cuts));
  signals.forEach((s, i) => members[bucketOf[i]].push(s));
  const buckets = holm.rows.map((r, j) => ({
    ...summary(labels[j], members[j]),
    lo: r.lo,
    hi: r.hi,
    role: r.role,
    test: testOf(`${factor} ${labels[j]} vs ${show(holm.against)}`, r.test, bh.rows[j].test),
    clv: members[j].map((s) => s.clv),
  }));

  // Expanding rate per bucket in time order (signals are in time order).
  const counts = holm.rows.map(() => ({ n: 0, pos: 0 }));
  const rates: (number | null)[][] = holm.rows.map(() => []);
  const keep = new Set(thinIndices(signals.length));
  const ts: number[] = [];
  signals.forEach((s, i) => {
    const c = counts[bucketOf[i]];
    c.n++;
    if (s.clv > 0) c.pos++;
    if (!keep.has(i)) return;
    ts.push(s.ts);
    counts.forEach((k, j) => rates[j].push(k.n === 0 ? null : k.pos / k.n));
  });

  const st = stability(signals, factor, { cuts }, {
    ...cmp,
    windowsDays: opts.windowsDays,
  });
  const windowRow = (
    label: string,
    w: typeof st.reference,
  ) => ({
    label,
    days: w.days,
    start: w.start,
    end: w.end,
    n: w.analysis.rows.reduce((a, r) => a + r.n, 0),
    effect: w.effect,
    status: w.status,
    testsTried: w.analysis.testsTried,
    buckets: w.analysis.rows.map((r, j) => ({
      label: labels[j],
      n: r.n,
      positives: r.positives,
      rate: r.rate,
      wilsonLo: r.wilsonLo,
      wilsonHi: r.wilsonHi,
    })),
  });

  let trailing: FactorReportData["trailing"];
  if (opts.trailing) {
    const t = opts.trailing;
    const o = {
      windowMs: t.windowDays * MS_PER_DAY,
      quantile: t.pct / 100,
      minObs: t.minObs,
      op: ">=" as const,
      ...cmp,
      baseline: undefined,
    };
    const sh = trailingSplit(signals, factor, { ...o, adjustment: "holm" });
    const sb = trailingSplit(signals, factor, { ...o, adjustment: "bh" });
    const pick = (status: string) => signals.filter((_, i) => sh.thresholds[i].status === status);
    trailing = {
      quantile: o.quantile,
      windowDays: t.windowDays,
      minObs: t.minObs,
      op: o.op,
      meets: summary("meets", pick("meets")),
      misses: summary("misses", pick("misses")),
      warmUp: summary("warm-up", pick("warm-up")),
      test: testOf(
        `${factor} >= trailing q${o.quantile} (${t.windowDays} d) vs below`,
        sh.table.rows[0].test,
        sb.table.rows[0].test,
      ),
      series: {
        ts: signals.map((s) => s.ts),
        value: sh.thresholds.map((x) => x.value),
        threshold: sh.thresholds.map((x) => x.threshold ?? null),
        positive: signals.map((s) => s.clv > 0),
      },
    };
  }

  return {
    factor,
    part: {
      n: signals.length,
      missing,
      bucketing: {
        method: describeSpec(opts.spec, cuts),
        cuts,
        inSample: "quantiles" in opts.spec,
        against: show(holm.against),
        alternative: holm.alternative,
      },
      overall: summary("all", signals),
      buckets,
      testsTried: holm.testsTried,
      overTime: { ts, buckets: labels.map((label, j) => ({ label, rate: rates[j] })) },
      stability: {
        effectBucket: show(st.effectBucket),
        against: show(st.against),
        spanDays: (signals[signals.length - 1].ts - signals[0].ts) / MS_PER_DAY,
        collapseFraction: st.collapseFraction,
        collapsed: st.collapsed,
        windows: [
          windowRow("whole sample", st.reference),
          ...st.windows.map((w) => windowRow(`last ${w.days} days`, w)),
        ],
      },
      trailing,
    },
  };
}

function buildShared(signals: DecisionSignal[], opts: FactorOptions) {
  const action = "analyze factors";
  let stacking: FactorReportData["stacking"];
  if (opts.stack) {
    const [sa, sb] = opts.stack;
    const sub = withFactors(signals, [sa.factor, sb.factor]);
    if (sub.signals.length === 0) {
      throw new RangeError(
        `Cannot ${action}: no signal has finite ${sa.factor} and ${sb.factor} to stack, ` +
          `current value is 0 signals`,
      );
    }
    const cond = (s: StackSide): FactorCondition => ({
      factor: s.factor,
      op: s.op,
      threshold: s.threshold ?? median(sub.signals.map((x) => x.factors[s.factor])),
    });
    const a = cond(sa);
    const b = cond(sb);
    const holm = stackFactors(sub.signals, a, b, {
      alternative: opts.alternative,
      adjustment: "holm",
    });
    const bh = stackFactors(sub.signals, a, b, { alternative: opts.alternative, adjustment: "bh" });
    const inCell = (ia: boolean, ib: boolean) =>
      sub.signals.filter((s, i) =>
        meetsCondition(action, s, a, i) === ia && meetsCondition(action, s, b, i) === ib
      );
    const medianNote = [sa, sb].filter((s) => s.threshold === undefined).map((s) => s.factor);
    const names: [keyof typeof holm.tests, string][] = [
      ["bothVsAOnly", "both vs A only"],
      ["bothVsBOnly", "both vs B only"],
      ["bothVsNeither", "both vs neither"],
      ["aOnlyVsNeither", "A only vs neither"],
      ["bOnlyVsNeither", "B only vs neither"],
    ];
    const la = `${a.factor} ${a.op} ${formatNumber(a.threshold)}`;
    const lb = `${b.factor} ${b.op} ${formatNumber(b.threshold)}`;
    stacking = {
      a: la,
      b: lb,
      note: `A: ${la}; B: ${lb}.${
        medianNote.length > 0
          ? ` Thresholds of ${
            medianNote.join(" and ")
          } are in-sample medians (descriptive, not tradable rules).`
          : ""
      }`,
      n: sub.signals.length,
      excluded: sub.dropped,
      cells: [
        summary("both", inCell(true, true)),
        summary("A only", inCell(true, false)),
        summary("B only", inCell(false, true)),
        summary("neither", inCell(false, false)),
      ],
      tests: names.flatMap(([k, label]) => {
        const t = testOf(`stack ${label} (A: ${la}; B: ${lb})`, holm.tests[k], bh.tests[k]);
        return t === null ? [] : [t];
      }),
      testsTried: holm.testsTried,
    };
  }

  let gate: FactorReportData["gate"];
  if (opts.gate) {
    const g = opts.gate;
    const sub = withFactors(signals, [g.factor]);
    const config: GateConfig = g.threshold !== undefined
      ? { mode: g.mode, factor: g.factor, op: g.op, threshold: g.threshold }
      : {
        mode: g.mode,
        factor: g.factor,
        op: g.op,
        trailing: {
          windowMs: g.windowDays * MS_PER_DAY,
          quantile: (g.pct ?? NaN) / 100,
          minObs: g.minObs,
        },
        warmUp: "pass",
      };
    const decisions = gateSignals(sub.signals, config);
    const rule = g.threshold !== undefined
      ? `${g.factor} ${g.op} ${formatNumber(g.threshold)}`
      : `${g.factor} ${g.op} trailing q${(g.pct ?? NaN) / 100} (${g.windowDays} d, ` +
        `${g.minObs} obs; warm-up passes)`;
    const passed = sub.signals.filter((_, i) => decisions[i].pass);
    const failed = sub.signals.filter((_, i) => !decisions[i].pass);
    const delivered = sub.signals.filter((_, i) => decisions[i].delivered);
    const suppressed = sub.signals.filter((_, i) => !decisions[i].delivered);
    const groups = [{ label: "failed", signals: failed }, { label: "passed", signals: passed }];
    const cmpHolm = groupTableTest(groups, opts.alternative, "holm");
    const cmpBh = groupTableTest(groups, opts.alternative, "bh");
    const ts: number[] = [];
    const cumP: number[] = [];
    const cumF: number[] = [];
    let p = 0;
    let f = 0;
    const keep = new Set(thinIndices(sub.signals.length));
    sub.signals.forEach((s, i) => {
      if (decisions[i].pass) p += s.pnl ?? 0;
      else f += s.pnl ?? 0;
      if (!keep.has(i)) return;
      ts.push(s.ts);
      cumP.push(p);
      cumF.push(f);
    });
    gate = {
      mode: g.mode,
      factor: g.factor,
      rule,
      decided: sub.signals.length,
      excluded: sub.dropped,
      passed: summary("passed", passed),
      failed: summary(g.mode === "shadow" ? "failed (delivered anyway)" : "failed", failed),
      delivered: summary("delivered", delivered),
      suppressed: summary("suppressed", suppressed),
      test: testOf(`gate ${rule}: passed vs failed`, cmpHolm, cmpBh),
      series: { ts, passed: cumP, failed: cumF },
    };
  }
  return { stacking, gate };
}

/** The z-test of the second group against the first (the baseline). */
function groupTableTest(
  groups: SignalGroup[],
  alternative: Alternative,
  adjustment: "holm" | "bh",
): ComparisonTest | null {
  return groupTable(groups, { baseline: groups[0].label, alternative, adjustment }).rows[1].test;
}

const HELP = `deno task factors --run ID --factor NAME [options]

Factor analysis of one backtest run: reads the run's decision rows (every order
with the book, spread, time to close, model vs market and its closing line value)
from the results database, keeps the filled orders as signals, and for each
--factor prints a bucket table of the rate of positive CLV (n, positives, rate,
Wilson 95% interval, mean / median CLV, PnL, pooled z-test against the rest or a
baseline bucket, Holm and BH adjusted p-values, the number of tests), the same
table over trailing 7 / 14 / 30-day windows with collapse / flip flags, and when
asked a trailing-percentile split, a stack of two factors and the factor gate
applied after the fact. Writes <out>/run-<id>/factors-<factor>.md and .html (a
self-contained page with Plotly charts that opens offline).

Factors:
${DECISION_FACTORS.map((f) => `  ${f.padEnd(19)}${DECISION_FACTOR_DESCRIPTIONS[f]}`).join("\n")}

Options:
  --run ID              run id in the results database (required)
  --factor NAME         factor to analyse (repeatable, at least one)
  --db PATH             results database (default: <out>/results.sqlite)
  --out DIR             output folder (default: out); reports go to <out>/run-<id>/
  --cuts A,B,C          fixed bucket cut-offs, strictly increasing; buckets are
                        [-inf, A), [A, B), ..., [C, inf)
  --quantiles K         K buckets at sample quantiles (default 4; in-sample)
  --baseline I          test each bucket against bucket I (0 = lowest) instead
                        of against all other buckets
  --alternative ALT     two-sided (default), larger or smaller
  --windows D1,D2       stability windows in whole days (default 7,14,30)
  --include-unfilled    keep orders that never filled (CLV from their limit)
  --trailing-pct P      split signals by whether the factor is in the top P%...
                        (e.g. 75 = at or above the trailing 75th percentile)
  --window-days D       ...of the signals of the previous D days (default 30)
  --min-obs N           ...once N earlier signals exist (default 20; warm-up
                        signals are reported apart, not tested)
  --stack F1,F2         stack two factors: each ">= its sample median", or give
                        conditions, e.g. --stack "skew>=0.6,spread<=200"
  --gate MODE           apply the factor gate after the fact: shadow (record the
                        decision, deliver all) or enforce (deliver passing only)
  --gate-factor NAME    factor the gate reads (default: the first --factor)
  --gate-min X          pass when factor >= X
  --gate-max X          pass when factor <= X
  --gate-pct P          pass when factor >= its trailing P-th percentile
                        (uses --window-days and --min-obs; warm-up passes)
  --no-report           print only; write no files
  -h, --help            show this help

Exit status: 0 on success; 1 when the analysis failed (missing database, unknown
run id, a run with no signals or no finite value of a factor); 2 on a usage error.
`;

/** Parse "a,b,c" into finite numbers, or throw naming the option. */
function parseNumbers(option: string, text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  return parts.map((p) => {
    const v = Number(p);
    if (p === "" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot parse ${option}: "${p}" is not a finite number, current value is "${text}"`,
      );
    }
    return v;
  });
}

function parseNumber(option: string, text: string, check: (v: number) => boolean, what: string) {
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || !check(v)) {
    throw new RangeError(`Cannot parse ${option}: must be ${what}, current value is "${text}"`);
  }
  return v;
}

function parseStackSide(text: string): StackSide {
  const m = /^\s*([a-z_]+)\s*(?:(>=|<=|>|<)\s*(.+?))?\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `Cannot parse --stack: expected NAME or NAME>=X, current value is "${text}"`,
    );
  }
  assertDecisionFactor("parse --stack", m[1]);
  if (m[2] === undefined) return { factor: m[1], op: ">=" };
  const t = parseNumber("--stack", m[3], () => true, "a finite threshold");
  return { factor: m[1], op: m[2] as Comparison, threshold: t };
}

/** Parsed command line. */
export interface FactorArgs {
  runId: number;
  dbPath: string;
  outDir: string;
  report: boolean;
  options: FactorOptions;
}

/**
 * Parse the command line; throws RangeError / TypeError with the usage error's
 * message (exit status 2). Returns "help" for -h / --help.
 */
export function parseFactorArgs(args: string[]): FactorArgs | "help" {
  const v = parseArgs({
    args,
    options: {
      run: { type: "string" },
      factor: { type: "string", multiple: true },
      db: { type: "string" },
      out: { type: "string", default: "out" },
      cuts: { type: "string" },
      quantiles: { type: "string" },
      baseline: { type: "string" },
      alternative: { type: "string", default: "two-sided" },
      windows: { type: "string", default: "7,14,30" },
      "include-unfilled": { type: "boolean", default: false },
      "trailing-pct": { type: "string" },
      "window-days": { type: "string", default: "30" },
      "min-obs": { type: "string", default: "20" },
      stack: { type: "string" },
      gate: { type: "string" },
      "gate-factor": { type: "string" },
      "gate-min": { type: "string" },
      "gate-max": { type: "string" },
      "gate-pct": { type: "string" },
      "no-report": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
  if (v.help) return "help";
  if (v.run === undefined) {
    throw new RangeError("Cannot parse --run: it is required, current value is none");
  }
  const runId = parseNumber("--run", v.run, (x) => Number.isSafeInteger(x) && x >= 1, "a run id");
  const factors = v.factor ?? [];
  if (factors.length === 0) {
    throw new RangeError("Cannot parse --factor: give at least one, current value is none");
  }
  for (const f of factors) assertDecisionFactor("parse --factor", f);
  const typed = factors as DecisionFactor[];
  if (new Set(typed).size !== typed.length) {
    throw new RangeError(
      `Cannot parse --factor: each factor once, current value is ${typed.join(", ")}`,
    );
  }
  if (v.cuts !== undefined && v.quantiles !== undefined) {
    throw new RangeError(
      `Cannot parse --cuts and --quantiles: give one of them, current value is both`,
    );
  }
  let spec: BucketSpec;
  if (v.cuts !== undefined) {
    const cuts = parseNumbers("--cuts", v.cuts);
    cuts.forEach((c, i) => {
      if (i > 0 && !(c > cuts[i - 1])) {
        throw new RangeError(
          `Cannot parse --cuts: cut-offs must be strictly increasing, current value is "${v.cuts}"`,
        );
      }
    });
    spec = { cuts };
  } else {
    spec = {
      quantiles: parseNumber(
        "--quantiles",
        v.quantiles ?? "4",
        (x) => Number.isSafeInteger(x) && x >= 2,
        "an integer >= 2",
      ),
    };
  }
  const nb = "cuts" in spec ? spec.cuts.length + 1 : spec.quantiles;
  const baseline = v.baseline === undefined ? undefined : parseNumber(
    "--baseline",
    v.baseline,
    (x) => Number.isSafeInteger(x) && x >= 0 && x < nb,
    `a bucket index in [0, ${nb - 1}]`,
  );
  const alternative = v.alternative as Alternative;
  if (!["two-sided", "larger", "smaller"].includes(alternative)) {
    throw new RangeError(
      `Cannot parse --alternative: must be two-sided, larger or smaller, current value is "${alternative}"`,
    );
  }
  const windowsDays = parseNumbers("--windows", v.windows!);
  windowsDays.forEach((d) => {
    if (!Number.isSafeInteger(d) || d < 1) {
      throw new RangeError(
        `Cannot parse --windows: whole days >= 1, current value is "${v.windows}"`,
      );
    }
  });
  const windowDays = parseNumber(
    "--window-days",
    v["window-days"]!,
    (x) => Number.isSafeInteger(x) && x >= 1,
    "a whole number of days >= 1",
  );
  const minObs = parseNumber(
    "--min-obs",
    v["min-obs"]!,
    (x) => Number.isSafeInteger(x) && x >= 1,
    "an integer >= 1",
  );
  const pct = (option: string, text: string) =>
    parseNumber(option, text, (x) => x > 0 && x < 100, "a percentile in (0, 100)");
  const trailing = v["trailing-pct"] === undefined
    ? undefined
    : { pct: pct("--trailing-pct", v["trailing-pct"]), windowDays, minObs };
  let stack: [StackSide, StackSide] | undefined;
  if (v.stack !== undefined) {
    const parts = v.stack.split(",");
    if (parts.length !== 2) {
      throw new RangeError(
        `Cannot parse --stack: give two factors separated by a comma, current value is "${v.stack}"`,
      );
    }
    stack = [parseStackSide(parts[0]), parseStackSide(parts[1])];
    if (stack[0].factor === stack[1].factor) {
      throw new RangeError(
        `Cannot parse --stack: the two factors must differ, current value is "${v.stack}"`,
      );
    }
  }
  let gate: GateOptions | undefined;
  const gateRules = [v["gate-min"], v["gate-max"], v["gate-pct"]].filter((x) => x !== undefined);
  if (v.gate === undefined) {
    if (gateRules.length > 0 || v["gate-factor"] !== undefined) {
      throw new RangeError(
        "Cannot parse --gate-*: they need --gate shadow|enforce, current value is no --gate",
      );
    }
  } else {
    if (v.gate !== "shadow" && v.gate !== "enforce") {
      throw new RangeError(
        `Cannot parse --gate: must be shadow or enforce, current value is "${v.gate}"`,
      );
    }
    if (gateRules.length !== 1) {
      throw new RangeError(
        `Cannot parse --gate: give exactly one of --gate-min, --gate-max, --gate-pct, ` +
          `current value is ${gateRules.length} given`,
      );
    }
    const gf = v["gate-factor"] ?? typed[0];
    assertDecisionFactor("parse --gate-factor", gf);
    const num = (o: string, t: string) => parseNumber(o, t, () => true, "a finite number");
    gate = {
      mode: v.gate,
      factor: gf,
      op: v["gate-max"] !== undefined ? "<=" : ">=",
      ...(v["gate-min"] !== undefined ? { threshold: num("--gate-min", v["gate-min"]) } : {}),
      ...(v["gate-max"] !== undefined ? { threshold: num("--gate-max", v["gate-max"]) } : {}),
      ...(v["gate-pct"] !== undefined ? { pct: pct("--gate-pct", v["gate-pct"]) } : {}),
      windowDays,
      minObs,
    };
  }
  const outDir = v.out!;
  return {
    runId,
    dbPath: v.db ?? join(outDir, "results.sqlite"),
    outDir,
    report: !v["no-report"],
    options: {
      factors: typed,
      spec,
      baseline,
      alternative,
      windowsDays,
      includeUnfilled: v["include-unfilled"]!,
      trailing,
      stack,
      gate,
    },
  };
}

/** Read a run and its decisions; throws "Cannot analyze factors: ..." for a missing db or run. */
export async function loadRun(
  dbPath: string,
  runId: number,
): Promise<{ run: RunRow; rows: DecisionRow[] }> {
  const action = "analyze factors";
  try {
    const st = await Deno.stat(dbPath);
    if (!st.isFile) throw new Error("not a file");
  } catch {
    // ResultsDb.open would create an empty database: check first.
    throw new Error(
      `Cannot ${action}: no results database at this path (run deno task backtest first, or ` +
        `pass --db), current value is ${dbPath}`,
    );
  }
  const db = ResultsDb.open(dbPath);
  try {
    const run = db.run(runId);
    if (run === undefined) {
      const ids = db.runs().map((r) => r.id);
      throw new Error(
        `Cannot ${action}: run ${runId} does not exist in ${dbPath} (runs: ${
          ids.length === 0 ? "none" : ids.join(", ")
        }), current value is ${runId}`,
      );
    }
    if (run.status !== "complete") {
      throw new Error(
        `Cannot ${action}: run ${runId} is not complete${
          run.error ? ` (${run.error})` : ""
        }, current value is ${run.status}`,
      );
    }
    return { run, rows: db.records<DecisionRow>(runId, "decisions") };
  } finally {
    db.close();
  }
}

async function main(args: string[]): Promise<number> {
  let a: FactorArgs | "help";
  try {
    a = parseFactorArgs(args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\nrun 'deno task factors --help' for the options`);
    return 2;
  }
  if (a === "help") {
    console.log(HELP);
    return 0;
  }
  try {
    const { run, rows } = await loadRun(a.dbPath, a.runId);
    const reports = buildFactorReports(run, a.dbPath, rows, a.options);
    const plotly = a.report ? await loadPlotlySource() : "";
    const dir = join(a.outDir, `run-${a.runId}`);
    if (a.report) await Deno.mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const r of reports) {
      const md = renderFactorsMarkdown(r);
      console.log(md);
      if (!a.report) continue;
      const base = join(dir, `factors-${r.factor}`);
      await Deno.writeTextFile(`${base}.md`, md);
      await Deno.writeTextFile(`${base}.html`, renderFactorsHtml(r, plotly));
      written.push(`${base}.md`, `${base}.html`);
    }
    for (const w of written) console.log(`report: ${w}`);
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
