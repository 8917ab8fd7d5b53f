/**
 * The HTML factor report: one self-contained page (it opens offline, from a
 * file) with the tables of the Markdown report (`./factors_markdown.ts`) and
 * Plotly charts: the rate of positive CLV per bucket with Wilson 95% error
 * bars, the CLV distribution per bucket (box plots), the rate per bucket in
 * each stability window, the expanding rate per bucket over time, and when
 * present the trailing threshold over time and the gate's cumulative PnL.
 *
 * As in the run report (`./html.ts`), the Plotly bundle is passed in as text
 * and inlined (read it with `loadPlotlySource` from `./plotly_source.ts`), the
 * data is embedded as JSON with `<`, `>` and `&` escaped, and a
 * Content-Security-Policy forbids every network request.
 *
 * Pure: returns a string, writes nothing.
 *
 * @example
 * ```ts
 * import { renderFactorsHtml } from "./factors_html.ts";
 * import { loadPlotlySource } from "./plotly_source.ts";
 * import type { FactorReportData } from "./factors_markdown.ts";
 * declare const data: FactorReportData;
 * const page = renderFactorsHtml(data, await loadPlotlySource());
 * ```
 *
 * @module
 */

import { esc, htmlTable as table, pageEnd, pageHead } from "./html_page.ts";
import { formatDollars } from "./markdown.ts";
import {
  bucketTable,
  type FactorReportData,
  fmt,
  fmtInterval,
  groupCells,
  groupColumns,
  selectionText,
  spanNote,
  stabilityTable,
  TEST_HEAD,
  testCells,
} from "./factors_markdown.ts";

/** Ids of the charts every factor report has, in page order. */
export const FACTOR_CHART_IDS = [
  "chart-rate",
  "chart-clv",
  "chart-stability",
  "chart-over-time",
] as const;

/**
 * The ids of the charts a report shows: {@link FACTOR_CHART_IDS}, plus
 * "chart-trailing" with a trailing split and "chart-gate" with a gate.
 *
 * @example
 * ```ts
 * declare const data: FactorReportData;
 * factorChartIds(data); // ["chart-rate", "chart-clv", "chart-stability", "chart-over-time", ...]
 * ```
 */
export function factorChartIds(d: FactorReportData): string[] {
  return [
    ...FACTOR_CHART_IDS,
    ...(d.trailing ? ["chart-trailing"] : []),
    ...(d.gate ? ["chart-gate"] : []),
  ];
}

const TEST_NUM = [false, true, true, true, true, true];

const STYLE = `
:root { color-scheme: light; --fg: #1d2329; --muted: #5b6670; --line: #d8dde2;
  --bg: #ffffff; --band: #f5f7f9; --warn-bg: #fff1e6; --warn: #b54708; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 1.6rem; margin: 0 0 12px; }
h2 { font-size: 1.2rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p { max-width: 900px; }
code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.88em; word-break: break-all; }
.synthetic { margin: 12px 0 20px; padding: 14px 18px; border: 2px solid var(--warn);
  background: var(--warn-bg); color: var(--warn); border-radius: 6px; font-weight: 600; }
.synthetic strong { display: block; font-size: 1.35rem; letter-spacing: 0.06em; }
.flag { padding: 8px 12px; border-left: 4px solid var(--warn); background: var(--warn-bg); }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 0.92em; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { background: none; color: var(--muted); font-weight: 500; white-space: nowrap; }
.chart { width: 100%; height: 420px; margin: 8px 0 24px; }
.chart-error { color: var(--warn); padding: 16px; }
.none { color: var(--muted); font-style: italic; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 0 24px; }
`;

/** The page script: reads the embedded JSON and draws the charts. */
const RENDER_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("factor-data").textContent);
  var ids = JSON.parse(document.getElementById("chart-ids").textContent);
  if (typeof Plotly === "undefined") {
    ids.forEach(function (id) {
      document.getElementById(id).innerHTML =
        '<p class="chart-error">Plotly did not load; charts unavailable.</p>';
    });
    return;
  }
  var font = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', size: 13 };
  var config = { displaylogo: false, responsive: true };
  var COLORS = ["#1f6feb", "#d9822b", "#2f8f4e", "#8250df", "#cf222e", "#0a7f86", "#9a6700",
    "#6e7781", "#bf3989", "#116329"];
  var color = function (i) { return COLORS[i % COLORS.length]; };
  var base = function (title) {
    return {
      title: { text: title, x: 0.02, xanchor: "left" },
      font: font, margin: { l: 64, r: 24, t: 48, b: 72 },
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
      legend: { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" },
      hovermode: "closest",
    };
  };
  var grid = "#eef1f4";
  var utc = function (ms) { return new Date(ms).toISOString().slice(0, 23).replace("T", " "); };
  var f3 = function (x) { return x === null ? "n/a" : x.toFixed(3); };
  var b = data.buckets;
  // Bucket labels on two lines so they fit without rotation.
  var wrap = function (label) { return label.replace(", ", ",<br>"); };
  var catAxis = function (title) {
    return { title: { text: title }, type: "category", tickangle: 0, automargin: true };
  };

  Plotly.newPlot("chart-rate", [
    {
      type: "bar", name: "rate of positive CLV",
      x: b.map(function (r) { return wrap(r.label); }),
      y: b.map(function (r) { return r.n === 0 ? null : r.rate; }),
      marker: { color: b.map(function (r, i) { return r.role === "baseline" ? "#8a949e" : color(0); }) },
      error_y: {
        type: "data", symmetric: false, color: "#1d2329", thickness: 1.4, width: 6,
        array: b.map(function (r) { return r.n === 0 ? null : r.wilsonHi - r.rate; }),
        arrayminus: b.map(function (r) { return r.n === 0 ? null : r.rate - r.wilsonLo; }),
      },
      text: b.map(function (r) { return "n = " + r.n; }), textposition: "inside",
      insidetextanchor: "start",
      customdata: b.map(function (r) {
        return [r.n, r.positives, r.wilsonLo, r.wilsonHi, r.test ? r.test.pValue : null];
      }),
      hovertemplate: "%{x}<br>%{customdata[1]} of %{customdata[0]} positive: %{y:.3f}" +
        "<br>Wilson 95% [%{customdata[2]:.3f}, %{customdata[3]:.3f}]<extra></extra>",
    },
    {
      type: "scatter", mode: "lines", name: "all signals: " + f3(data.overall.rate),
      x: b.map(function (r) { return wrap(r.label); }),
      y: b.map(function () { return data.overall.n === 0 ? null : data.overall.rate; }),
      line: { color: "#cf222e", dash: "dash", width: 1.5 }, hoverinfo: "skip",
    },
  ], Object.assign(base("Rate of CLV > 0 by " + data.factor + " bucket"), {
    xaxis: catAxis(data.factor + " bucket (error bars: Wilson 95%)"),
    yaxis: { title: { text: "share of signals with CLV > 0" }, range: [0, 1.02], gridcolor: grid },
  }), config);

  Plotly.newPlot("chart-clv", b.map(function (r, i) {
    return {
      type: "box", name: wrap(r.label), y: r.clv, boxmean: true, marker: { color: color(i), size: 4 },
      boxpoints: r.clv.length <= 400 ? "all" : "outliers", jitter: 0.45, pointpos: 0,
      hovertemplate: r.label + "<br>CLV %{y} ticks<extra></extra>",
    };
  }), Object.assign(base("CLV by " + data.factor + " bucket"), {
    xaxis: catAxis(data.factor + " bucket (box: quartiles; dashed: mean)"),
    yaxis: { title: { text: "CLV (ticks of $0.0001)" }, gridcolor: grid, zerolinecolor: "#8a949e" },
    showlegend: false,
  }), config);

  var w = data.stability.windows;
  Plotly.newPlot("chart-stability", b.map(function (bucket, j) {
    return {
      type: "bar", name: bucket.label,
      x: w.map(function (x) { return x.label + "<br>n " + x.n; }),
      y: w.map(function (x) { return x.buckets[j].n === 0 ? null : x.buckets[j].rate; }),
      marker: { color: color(j) },
      error_y: {
        type: "data", symmetric: false, thickness: 1.2, width: 4, color: "#1d2329",
        array: w.map(function (x) {
          var r = x.buckets[j]; return r.n === 0 ? null : r.wilsonHi - r.rate;
        }),
        arrayminus: w.map(function (x) {
          var r = x.buckets[j]; return r.n === 0 ? null : r.rate - r.wilsonLo;
        }),
      },
      customdata: w.map(function (x) { return [x.buckets[j].n, x.status, x.effect]; }),
      hovertemplate: bucket.label + "<br>%{x}<br>rate %{y:.3f}, n = %{customdata[0]}" +
        "<br>effect %{customdata[2]:.3f} (%{customdata[1]})<extra></extra>",
    };
  }), Object.assign(base("Rate of CLV > 0 per bucket by window"), {
    barmode: "group",
    xaxis: catAxis("trailing window ending at the last signal"),
    yaxis: { title: { text: "share with CLV > 0" }, range: [0, 1.02], gridcolor: grid },
  }), config);

  var ot = data.overTime;
  Plotly.newPlot("chart-over-time", ot.buckets.map(function (s, j) {
    return {
      type: "scatter", mode: "lines", name: s.label, x: ot.ts.map(utc), y: s.rate,
      line: { color: color(j), width: 2 }, connectgaps: false,
      hovertemplate: s.label + "<br>%{x}<br>rate so far %{y:.3f}<extra></extra>",
    };
  }), Object.assign(base("Rate of CLV > 0 so far, per bucket"), {
    xaxis: { type: "date", title: { text: "decision time (UTC)" }, gridcolor: grid, automargin: true },
    yaxis: { title: { text: "share with CLV > 0 so far" }, range: [0, 1.02], gridcolor: grid },
  }), config);

  if (data.trailing) {
    var t = data.trailing.series;
    var pts = function (want, name, c) {
      var x = [], y = [];
      t.ts.forEach(function (ts, i) { if (t.positive[i] === want) { x.push(utc(ts)); y.push(t.value[i]); } });
      return { type: "scatter", mode: "markers", name: name, x: x, y: y,
        marker: { color: c, size: 5, opacity: 0.75 } };
    };
    Plotly.newPlot("chart-trailing", [
      pts(true, "CLV > 0", "#2f8f4e"),
      pts(false, "CLV <= 0", "#cf222e"),
      { type: "scatter", mode: "lines", name: "trailing q" + data.trailing.quantile,
        x: t.ts.map(utc), y: t.threshold, line: { color: "#1d2329", width: 2, shape: "hv" },
        connectgaps: false },
    ], Object.assign(base(data.factor + " and its trailing q" + data.trailing.quantile + " (no look-ahead)"), {
      xaxis: { type: "date", title: { text: "decision time (UTC)" }, gridcolor: grid, automargin: true },
      yaxis: { title: { text: data.factor }, gridcolor: grid },
    }), config);
  }

  if (data.gate) {
    var g = data.gate.series;
    Plotly.newPlot("chart-gate", [
      { type: "scatter", mode: "lines", name: "passed", x: g.ts.map(utc),
        y: g.passed.map(function (v) { return v / 10000; }), line: { color: "#2f8f4e", width: 2, shape: "hv" } },
      { type: "scatter", mode: "lines", name: data.gate.mode === "shadow" ? "failed (delivered anyway)" : "failed (suppressed)",
        x: g.ts.map(utc), y: g.failed.map(function (v) { return v / 10000; }),
        line: { color: "#cf222e", width: 2, shape: "hv" } },
    ], Object.assign(base("Gate " + data.gate.mode + ": cumulative realized PnL"), {
      xaxis: { type: "date", title: { text: "decision time (UTC)" }, gridcolor: grid, automargin: true },
      yaxis: { title: { text: "USD" }, tickprefix: "$", gridcolor: grid, zerolinecolor: "#8a949e" },
      hovermode: "x unified",
    }), config);
  }
})();
`;

/** Content-Security-Policy of the page: inline code only, no network of any kind. */
/**
 * Renders one factor report as a self-contained HTML page with `plotlyJs`
 * (the minified Plotly bundle) inlined.
 */
export function renderFactorsHtml(d: FactorReportData, plotlyJs: string): string {
  const title = `${d.synthetic ? "[SYNTHETIC] " : ""}${d.title}`;
  const ids = factorChartIds(d);
  const chart = (id: string) => `<div id="${id}" class="chart"></div>`;
  const meta: [string, string][] = [
    ["Run", `${d.run.id} (${d.run.status})`],
    ["Strategy", d.run.strategy],
    ["Seed", String(d.run.seed)],
    ["Digest", d.run.digest ?? "none"],
    ["Code version", d.run.codeVersion],
    ["Tapes", d.run.tapes.join(", ") || "none"],
    ["Database", d.run.dbPath],
    ["Factor", `${d.factor}: ${d.factorDescription}`],
    ["Data", d.synthetic ? "SYNTHETIC" : "recorded"],
  ];
  const mono = new Set(["Digest", "Tapes", "Database", "Code version"]);
  const { head: gh, num: gn } = groupColumns();
  const o = d.overall;
  const parts = pageHead({ title, style: STYLE, synthetic: d.synthetic, meta, mono });
  parts.push(
    `<p>${esc(selectionText(d))} CLV is in ticks of $0.0001 (100 ticks = 1 cent); a signal ` +
      `counts as positive when CLV &gt; 0.</p>`,
    `<h2>Buckets of ${esc(d.factor)}</h2>`,
    `<p>${esc(d.bucketing.method)}${
      d.bucketing.inSample
        ? " (cut at sample quantiles of the whole run: descriptive, not a rule a trader could have applied at the time)"
        : ""
    }. Each bucket is tested against ${
      esc(d.bucketing.against === "rest" ? "all other buckets together" : d.bucketing.against)
    } (pooled two-proportion z-test, ${esc(d.bucketing.alternative)}). Tests in this table: ${
      esc(String(d.testsTried))
    }; Holm and BH adjust over them. All signals: n ${o.n}, rate ${fmt(o.rate)} ${
      esc(fmtInterval(o))
    }, PnL ${o.pnlKnown === 0 ? "n/a" : "$" + formatDollars(o.pnlTicks)}.</p>`,
  );
  const bt = bucketTable(d);
  parts.push(table(bt.head, bt.rows, bt.num), '<div class="grid">', chart("chart-rate"));
  parts.push(chart("chart-clv"), "</div>");

  const st = d.stability;
  const sb = stabilityTable(d);
  parts.push(
    "<h2>Stability over trailing windows</h2>",
    `<p>Effect: rate of ${esc(st.effectBucket)} minus ${
      esc(st.against === "rest" ? "the rest" : st.against)
    }, same cuts in every window, windows end at the last signal. "collapsed": below ${st.collapseFraction} of the whole-sample effect; "flipped": opposite sign.</p>`,
    table(sb.head, sb.rows, sb.num),
    spanNote(d) ? `<p class="flag">${esc(spanNote(d))}</p>` : "",
    st.collapsed
      ? '<p class="flag"><strong>Flag: the effect collapses or flips in at least one window.</strong></p>'
      : "<p>No window collapses or flips (read with the counts: short windows are noisy).</p>",
    '<div class="grid">',
    chart("chart-stability"),
    chart("chart-over-time"),
    "</div>",
  );

  if (d.trailing) {
    const t = d.trailing;
    parts.push(
      "<h2>Trailing percentile threshold</h2>",
      `<p>Each signal is compared with the q${t.quantile} of ${esc(d.factor)} over the signals ` +
        `of the previous ${t.windowDays} days strictly before it (no look-ahead; ${t.minObs} ` +
        `needed, else warm-up). Meets: value ${esc(t.op)} threshold.</p>`,
      table(gh, [t.meets, t.misses, t.warmUp].map(groupCells), gn),
      t.test ? table(TEST_HEAD, [testCells(t.test)], TEST_NUM) : "",
      chart("chart-trailing"),
    );
  }
  if (d.stacking) {
    const s = d.stacking;
    parts.push(
      `<h2>Stacking: ${esc(s.a)} and ${esc(s.b)}</h2>`,
      `<p>${
        esc(s.note)
      } Signals analysed: ${s.n}; left out (a factor not finite): ${s.excluded}. ` +
        `Tests: ${s.testsTried}, adjusted together.</p>`,
      table(gh, s.cells.map(groupCells), gn),
      table(TEST_HEAD, s.tests.map(testCells), TEST_NUM),
    );
  }
  if (d.gate) {
    const g = d.gate;
    parts.push(
      `<h2>Gate (${esc(g.mode)}): ${esc(g.rule)}</h2>`,
      `<p>Applied after the fact to the run's signals in time order. ${g.decided} decided, ` +
        `${g.excluded} left out (no finite ${esc(g.factor)}). ${
          g.mode === "shadow"
            ? "Shadow: every signal is delivered; the failed ones are those enforce would suppress."
            : "Enforce: only passing signals are delivered."
        }</p>`,
      table(gh, [g.passed, g.failed, g.delivered, g.suppressed].map(groupCells), gn),
      g.test ? table(TEST_HEAD, [testCells(g.test)], TEST_NUM) : "",
      chart("chart-gate"),
    );
  }
  const f = d.family;
  parts.push(
    "<h2>Every test this command ran</h2>",
    `<p>${f.testsTried} z-tests over ${esc(f.factors.join(", "))} (bucket tables, splits, ` +
      `stacks, gate). Here Holm and BH adjust over all of them.</p>`,
    table(TEST_HEAD, f.tests.map(testCells), TEST_NUM),
    ...pageEnd([["factor-data", d], ["chart-ids", ids]], plotlyJs, RENDER_SCRIPT),
  );
  return parts.join("\n");
}
