import assert from "node:assert/strict";
import { FACTOR_CHART_IDS, factorChartIds, renderFactorsHtml } from "./factors_html.ts";
import type { FactorReportData, GroupSummary } from "./factors_markdown.ts";

const T0 = Date.UTC(2026, 0, 5, 14, 0);

function group(label: string, n: number, positives: number): GroupSummary {
  return {
    label,
    n,
    positives,
    rate: positives / n,
    wilsonLo: 0.1,
    wilsonHi: 0.9,
    meanClv: 5,
    medianClv: 4,
    pnlTicks: 100,
    pnlKnown: n,
  };
}

function report(factor = "skew"): FactorReportData {
  const bucket = (label: string, lo: number, hi: number) => ({
    ...group(label, 4, 2),
    lo,
    hi,
    role: "tested" as const,
    test: { name: `${factor} ${label} vs rest`, diff: 0, z: 0, pValue: 1, pHolm: 1, pBh: 1 },
    clv: [1, -1, 2, -2],
  });
  const rows = [
    { label: "[-inf, 0.5)", n: 4, positives: 2, rate: 0.5, wilsonLo: 0.1, wilsonHi: 0.9 },
    { label: "[0.5, inf)", n: 4, positives: 2, rate: 0.5, wilsonLo: 0.1, wilsonHi: 0.9 },
  ];
  return {
    title: `Factor analysis: ${factor}, run 1 (btc)`,
    run: {
      id: 1,
      strategy: "btc",
      seed: 1,
      status: "complete",
      digest: null,
      codeVersion: "test",
      tapes: ["t.ndjson"],
      dbPath: "db.sqlite",
    },
    synthetic: true,
    factor,
    factorDescription: "a factor",
    selection: {
      decisions: 8,
      unfilled: 0,
      nanClv: 0,
      missingFactor: 0,
      signals: 8,
      includeUnfilled: true,
    },
    bucketing: {
      method: "fixed cuts 0.5",
      cuts: [0.5],
      inSample: false,
      against: "rest",
      alternative: "two-sided",
    },
    overall: group("all", 8, 4),
    buckets: [bucket("[-inf, 0.5)", -Infinity, 0.5), bucket("[0.5, inf)", 0.5, Infinity)],
    testsTried: 2,
    overTime: { ts: [T0], buckets: [{ label: "[-inf, 0.5)", rate: [0.5] }] },
    stability: {
      effectBucket: "[0.5, inf)",
      against: "rest",
      collapseFraction: 0.5,
      spanDays: 1,
      collapsed: false,
      windows: [{
        label: "whole sample",
        days: null,
        start: -Infinity,
        end: T0,
        n: 8,
        effect: 0,
        status: "no-reference",
        testsTried: 2,
        buckets: rows,
      }],
    },
    family: { tests: [], testsTried: 0, factors: [factor] },
  };
}

const PLOTLY = "/* plotly stand-in */ window.Plotly = undefined;";

Deno.test("renderFactorsHtml: a self-contained page with every chart container", () => {
  const d = report();
  const page = renderFactorsHtml(d, PLOTLY);
  assert.ok(page.startsWith("<!DOCTYPE html>\n"));
  assert.match(
    page,
    /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/,
  );
  assert.match(page, /<title>\[SYNTHETIC\] Factor analysis: skew, run 1 \(btc\)<\/title>/);
  assert.match(page, /<div class="synthetic" role="alert"><strong>SYNTHETIC DATA<\/strong>/);
  assert.ok(page.includes(PLOTLY), "Plotly inlined");
  assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=/, "no external script or style");
  assert.deepEqual(factorChartIds(d), [...FACTOR_CHART_IDS]);
  for (const id of FACTOR_CHART_IDS) assert.ok(page.includes(`<div id="${id}" class="chart">`), id);
  assert.ok(!page.includes('id="chart-trailing"'));
  assert.ok(!page.includes('id="chart-gate"'));
  assert.ok(page.includes("<td>[-inf, 0.5)</td>"), "bucket label in the table");
  // All-selected wording with unfilled orders included.
  assert.match(
    page,
    /all orders, filled or not \(CLV of unfilled orders is measured from their limit/,
  );
});

Deno.test("renderFactorsHtml: optional charts follow the optional sections", () => {
  const d = report();
  d.trailing = {
    quantile: 0.75,
    windowDays: 30,
    minObs: 2,
    op: ">=",
    meets: group("meets", 2, 1),
    misses: group("misses", 2, 1),
    warmUp: group("warm-up", 4, 2),
    test: null,
    series: { ts: [T0], value: [0.4], threshold: [null], positive: [true] },
  };
  d.gate = {
    mode: "shadow",
    factor: "skew",
    rule: "skew >= 0.5",
    decided: 8,
    excluded: 0,
    passed: group("passed", 4, 2),
    failed: group("failed (delivered anyway)", 4, 2),
    delivered: group("delivered", 8, 4),
    suppressed: { ...group("suppressed", 1, 0), n: 0, rate: NaN },
    test: null,
    series: { ts: [T0], passed: [0], failed: [0] },
  };
  assert.deepEqual(factorChartIds(d), [...FACTOR_CHART_IDS, "chart-trailing", "chart-gate"]);
  const page = renderFactorsHtml(d, PLOTLY);
  assert.ok(page.includes('<div id="chart-trailing" class="chart">'));
  assert.ok(page.includes('<div id="chart-gate" class="chart">'));
  assert.match(page, /<h2>Gate \(shadow\): skew &gt;= 0\.5<\/h2>/);
  assert.match(page, /Shadow: every signal is delivered/);
  assert.match(
    page,
    /<script type="application\/json" id="chart-ids">\["chart-rate","chart-clv","chart-stability","chart-over-time","chart-trailing","chart-gate"\]<\/script>/,
  );
});

Deno.test("renderFactorsHtml: data cannot break out of its script blocks", () => {
  const d = report("</script><script>alert(1)</script>");
  const page = renderFactorsHtml(d, "var s = '</script>';");
  // The only closing script tags are the page's own four.
  assert.equal(page.match(/<\/script>/g)?.length, 4);
  assert.ok(page.includes("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
  assert.ok(page.includes("var s = '<\\/script>';"));
  assert.ok(page.includes("&lt;/script&gt;&lt;script&gt;alert(1)"), "escaped in the text");
});
