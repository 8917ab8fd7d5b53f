import assert from "node:assert/strict";
import {
  type FactorReportData,
  fmt,
  fmtInterval,
  fmtP,
  fmtTime,
  type GroupSummary,
  mdTable,
  renderFactorsMarkdown,
  spanNote,
} from "./factors_markdown.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 14, 0);

function group(label: string, n: number, positives: number, pnl = 0): GroupSummary {
  return {
    label,
    n,
    positives,
    rate: n === 0 ? NaN : positives / n,
    wilsonLo: n === 0 ? 0 : 0.1,
    wilsonHi: n === 0 ? 1 : 0.9,
    meanClv: n === 0 ? NaN : 12.5,
    medianClv: n === 0 ? NaN : 10,
    pnlTicks: pnl,
    pnlKnown: n,
  };
}

/** A two-bucket report; `extra` adds the optional sections. */
function sampleReport(extra = false): FactorReportData {
  const test = {
    name: "skew [0.5, inf) vs rest",
    diff: 0.2,
    z: 2.5,
    pValue: 0.0124,
    pHolm: 0.0248,
  };
  return {
    title: "Factor analysis: skew, run 3 (btc)",
    run: {
      id: 3,
      strategy: "btc",
      seed: 7,
      status: "complete",
      digest: "ab".repeat(32),
      codeVersion: "test",
      tapes: ["out/synthetic_btc_seed7.ndjson"],
      dbPath: "out/results.sqlite",
    },
    synthetic: true,
    factor: "skew",
    factorDescription: "liquidity skew",
    selection: {
      decisions: 12,
      unfilled: 1,
      nanClv: 1,
      missingFactor: 0,
      signals: 10,
      includeUnfilled: false,
    },
    bucketing: {
      method: "fixed cuts 0.5",
      cuts: [0.5],
      inSample: false,
      against: "rest",
      alternative: "two-sided",
    },
    overall: group("all", 10, 6, 12_345),
    buckets: [
      {
        ...group("[-inf, 0.5)", 4, 2, -500),
        lo: -Infinity,
        hi: 0.5,
        role: "tested",
        test: { ...test, name: "skew [-inf, 0.5) vs rest", diff: -0.2, z: -2.5, pBh: 0.0124 },
        clv: [1, -1, 2, -2],
      },
      {
        ...group("[0.5, inf)", 6, 4, 12_845),
        lo: 0.5,
        hi: Infinity,
        role: "tested",
        test: { ...test, pBh: 0.0124 },
        clv: [1, 2, 3, 4, -1, -2],
      },
    ],
    testsTried: 2,
    overTime: {
      ts: [T0, T0 + 1000],
      buckets: [{ label: "[-inf, 0.5)", rate: [null, 0.5] }, {
        label: "[0.5, inf)",
        rate: [1, 0.5],
      }],
    },
    stability: {
      effectBucket: "[0.5, inf)",
      against: "rest",
      collapseFraction: 0.5,
      spanDays: 10,
      collapsed: true,
      windows: [
        {
          label: "whole sample",
          days: null,
          start: -Infinity,
          end: T0,
          n: 10,
          effect: 0.1667,
          status: "holds",
          testsTried: 2,
          buckets: [
            { label: "[-inf, 0.5)", n: 4, positives: 2, rate: 0.5, wilsonLo: 0.1, wilsonHi: 0.9 },
            { label: "[0.5, inf)", n: 6, positives: 4, rate: 2 / 3, wilsonLo: 0.3, wilsonHi: 0.9 },
          ],
        },
        {
          label: "last 7 days",
          days: 7,
          start: T0 - 7 * DAY,
          end: T0,
          n: 3,
          effect: -0.5,
          status: "flipped",
          testsTried: 1,
          buckets: [
            { label: "[-inf, 0.5)", n: 0, positives: 0, rate: NaN, wilsonLo: 0, wilsonHi: 1 },
            { label: "[0.5, inf)", n: 3, positives: 1, rate: 1 / 3, wilsonLo: 0.06, wilsonHi: 0.8 },
          ],
        },
        {
          label: "last 30 days",
          days: 30,
          start: T0 - 30 * DAY,
          end: T0,
          n: 10,
          effect: 0.1667,
          status: "holds",
          testsTried: 2,
          buckets: [
            { label: "[-inf, 0.5)", n: 4, positives: 2, rate: 0.5, wilsonLo: 0.1, wilsonHi: 0.9 },
            { label: "[0.5, inf)", n: 6, positives: 4, rate: 2 / 3, wilsonLo: 0.3, wilsonHi: 0.9 },
          ],
        },
      ],
    },
    ...(extra
      ? {
        trailing: {
          quantile: 0.75,
          windowDays: 30,
          minObs: 2,
          op: ">=",
          meets: group("meets", 3, 3),
          misses: group("misses", 5, 2),
          warmUp: group("warm-up", 2, 1),
          test: { ...test, name: "skew >= trailing q0.75 (30 d) vs below", pBh: 0.0124 },
          series: {
            ts: [T0, T0 + 1],
            value: [0.4, 0.6],
            threshold: [null, 0.4],
            positive: [false, true],
          },
        },
        stacking: {
          a: "skew >= 0.5",
          b: "spread <= 200",
          note: "A: skew >= 0.5; B: spread <= 200.",
          n: 10,
          excluded: 0,
          cells: [
            group("both", 3, 3),
            group("A only", 3, 1),
            group("B only", 2, 1),
            group("neither", 2, 1),
          ],
          tests: [{ ...test, name: "stack both vs neither", pBh: 0.03 }],
          testsTried: 1,
        },
        gate: {
          mode: "enforce" as const,
          factor: "skew",
          rule: "skew >= 0.5",
          decided: 10,
          excluded: 0,
          passed: group("passed", 6, 4, 12_845),
          failed: group("failed", 4, 2, -500),
          delivered: group("delivered", 6, 4, 12_845),
          suppressed: group("suppressed", 4, 2, -500),
          test: { ...test, name: "gate skew >= 0.5: passed vs failed", pBh: 0.0124 },
          series: { ts: [T0, T0 + 1], passed: [0, 12_845], failed: [-500, -500] },
        },
      }
      : {}),
    family: {
      tests: [
        { ...test, name: "skew [-inf, 0.5) vs rest", pBh: 0.0124 },
        { ...test, pBh: 0.0124 },
      ],
      testsTried: 2,
      factors: ["skew"],
    },
  };
}

Deno.test("fmt, fmtP, fmtInterval, fmtTime: fixed forms and n/a", () => {
  assert.equal(fmt(0.12345), "0.123");
  assert.equal(fmt(-0.0001), "0.000");
  assert.equal(fmt(NaN), "n/a");
  assert.equal(fmt(2.5, 1), "2.5");
  assert.equal(fmtP(0.012345), "0.0123");
  assert.equal(fmtP(3.2e-7), "3.2e-7");
  assert.equal(fmtP(0), "0");
  assert.equal(fmtP(NaN), "n/a");
  assert.equal(fmtInterval({ n: 0, wilsonLo: 0, wilsonHi: 1 }), "n/a");
  assert.equal(fmtInterval({ n: 3, wilsonLo: 0.1234, wilsonHi: 0.5 }), "[0.123, 0.500]");
  assert.equal(fmtTime(-Infinity), "start");
  assert.equal(fmtTime(T0), "2026-01-05 14:00:00Z");
});

Deno.test("mdTable: padded columns, numbers right-aligned, pipes escaped", () => {
  assert.equal(
    mdTable(["a", "n"], [["x|y", "5"], ["long name", "123"]], [false, true]),
    [
      "| a         |   n |",
      "| --------- | --: |",
      "| x\\|y      |   5 |",
      "| long name | 123 |",
    ].join("\n"),
  );
});

Deno.test("renderFactorsMarkdown: header, selection, bucket table with every column", () => {
  const md = renderFactorsMarkdown(sampleReport());
  assert.ok(md.startsWith("# [SYNTHETIC] Factor analysis: skew, run 3 (btc)\n"));
  assert.match(md, /> \*\*SYNTHETIC DATA\.\*\*/);
  assert.match(md, /12 decisions recorded; signals are filled orders only/);
  assert.match(md, /Left out: 1 unfilled, 1 with no closing line \(CLV not finite\), 0 without/);
  assert.match(md, /Tests in this table: 2; Holm and BH adjust over them\./);
  assert.match(
    md,
    /\| bucket +\| +n \| pos \| +rate \| Wilson 95% +\| mean CLV \| median CLV \| PnL \(\$\) \| z vs rest \| +p \| p Holm \| +p BH \|/,
  );
  assert.match(
    md,
    /\| \[0\.5, inf\) +\| +6 \| +4 \| 0\.667 \| \[0\.100, 0\.900\] \| +12\.5 \| +10\.0 \| +1\.2845 \| +2\.50 \| 0\.0124 \| 0\.0248 \| 0\.0124 \|/,
  );
  assert.match(
    md,
    /All signals: n 10, rate 0\.600 \[0\.100, 0\.900\], mean CLV 12\.5, PnL \$1\.2345\./,
  );
});

Deno.test("renderFactorsMarkdown: stability windows, flags and the span note", () => {
  const md = renderFactorsMarkdown(sampleReport());
  assert.match(
    md,
    /\| last 7 days +\| 2025-12-29 14:00:00Z \| +3 \| +- \(0\) \| +0\.333 \(3\) \| -0\.500 \| flipped \|/,
  );
  assert.match(md, /\*\*Flag: the effect collapses or flips in at least one window\.\*\*/);
  // 10 days of signals: the 30-day window holds them all.
  assert.match(md, /The signals span 10\.00 days, so the 30-day window holds every signal/);
  const d = sampleReport();
  d.stability.spanDays = 45;
  d.stability.collapsed = false;
  const md2 = renderFactorsMarkdown(d);
  assert.equal(spanNote(d), "");
  assert.doesNotMatch(md2, /The signals span/);
  assert.match(md2, /No window collapses or flips/);
});

Deno.test("renderFactorsMarkdown: optional sections only when present", () => {
  const plain = renderFactorsMarkdown(sampleReport());
  for (const h of ["## Trailing percentile", "## Stacking", "## Gate"]) {
    assert.ok(!plain.includes(h), `${h} absent`);
  }
  const md = renderFactorsMarkdown(sampleReport(true));
  assert.match(md, /## Trailing percentile threshold/);
  assert.match(md, /\| meets +\| +3 \| +3 \| 1\.000 \|/);
  assert.match(md, /## Stacking: skew >= 0\.5 and spread <= 200/);
  assert.match(
    md,
    /\| stack both vs neither \| 0\.200 \| 2\.50 \| 0\.0124 \| 0\.0248 \| 0\.0300 \|/,
  );
  assert.match(md, /## Gate \(enforce\): skew >= 0\.5/);
  assert.match(md, /Enforce: only passing signals are delivered\./);
  assert.match(md, /\| suppressed \| +4 \| +2 \| 0\.500 \|.*\| +-0\.0500 \|/);
  assert.match(md, /## Every test this command ran\n\n2 z-tests over skew/);
});

Deno.test("renderFactorsMarkdown: recorded data has no synthetic banner; empty groups read n/a", () => {
  const d = sampleReport();
  d.synthetic = false;
  d.buckets[0] = { ...d.buckets[0], ...group("[-inf, 0.5)", 0, 0), role: "untested", test: null };
  const md = renderFactorsMarkdown(d);
  assert.ok(md.startsWith("# Factor analysis"));
  assert.doesNotMatch(md, /SYNTHETIC/);
  assert.match(
    md,
    /\| \[-inf, 0\.5\) +\| +0 \| +0 \| +n\/a \| n\/a +\| +n\/a \| +n\/a \| +n\/a \| +untested \|/,
  );
});
