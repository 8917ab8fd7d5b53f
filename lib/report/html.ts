/**
 * The HTML run report: one self-contained page (it opens offline, from a file,
 * with no network) holding the same tables as the Markdown report and three
 * Plotly charts: a reliability diagram of model vs market with Wilson error bars
 * and the diagonal, cumulative PnL over time in dollars, and Brier score over
 * time of model vs market.
 *
 * The Plotly bundle is passed in as text and inlined (read it with
 * `loadPlotlySource` from `./plotly_source.ts`, the I/O part); the report data is
 * embedded as JSON in a `<script type="application/json">` block with `<`, `>`
 * and `&` escaped, so no value can close the block. A Content-Security-Policy
 * forbids every network request, so the page cannot silently depend on one.
 *
 * Pure: returns a string, writes nothing.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./html.ts";
 * import { loadPlotlySource } from "./plotly_source.ts";
 * import type { ReportData } from "./types.ts";
 * declare const data: ReportData;
 * const page = renderHtml(data, await loadPlotlySource());
 * console.log(page.startsWith("<!DOCTYPE html>")); // true
 * ```
 *
 * @module
 */

import type { ReportBin, ReportData } from "./types.ts";
import { executionTables } from "./execution_rows.ts";
import { esc, htmlTable, pageEnd, pageHead } from "./html_page.ts";
import {
  formatBinRange,
  formatDollars,
  formatParam,
  formatStat,
  formatTime,
  formatWilson,
} from "./markdown.ts";

/** Ids of the chart containers, in page order. */
export const CHART_IDS = ["chart-reliability", "chart-pnl", "chart-brier"] as const;

interface Col {
  readonly head: string;
  readonly num?: boolean;
}

function table(cols: readonly Col[], rows: readonly (readonly string[])[]): string {
  return htmlTable(cols.map((c) => c.head), rows, cols.map((c) => c.num === true));
}

function binRow(who: string, b: ReportBin): string[] {
  return [
    who,
    formatBinRange(b),
    String(b.count),
    b.count === 0 ? "n/a" : formatStat(b.meanForecast),
    b.count === 0 ? "n/a" : formatStat(b.observedRate),
    formatWilson(b),
  ];
}

const STYLE = `
:root { color-scheme: light; --fg: #1d2329; --muted: #5b6670; --line: #d8dde2;
  --bg: #ffffff; --band: #f5f7f9; --warn-bg: #fff1e6; --warn: #b54708; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 12px; }
h2 { font-size: 1.2rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.88em; word-break: break-all; }
.synthetic { margin: 12px 0 20px; padding: 14px 18px; border: 2px solid var(--warn);
  background: var(--warn-bg); color: var(--warn); border-radius: 6px; font-weight: 600; }
.synthetic strong { display: block; font-size: 1.35rem; letter-spacing: 0.06em; }
table { border-collapse: collapse; margin: 6px 0 12px; min-width: 40%; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; font-size: 0.9em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.meta th { background: none; color: var(--muted); font-weight: 500; white-space: nowrap; }
.chart { width: 100%; height: 440px; margin: 8px 0 28px; }
.chart-error { color: var(--warn); padding: 16px; }
.none { color: var(--muted); font-style: italic; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 32px; }
`;

/** The page script: reads the embedded JSON and draws the three charts. */
const RENDER_SCRIPT = `
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const ids = ${JSON.stringify(CHART_IDS)};
  if (typeof Plotly === "undefined") {
    for (const id of ids) {
      const el = document.getElementById(id);
      el.innerHTML = '<p class="chart-error">Plotly did not load; charts unavailable.</p>';
    }
    return;
  }
  const font = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', size: 13 };
  const config = { displaylogo: false, responsive: true };
  const MODEL = "#1f6feb", MARKET = "#d9822b";
  const base = (title) => ({
    title: { text: title, x: 0.02, xanchor: "left" },
    font, margin: { l: 64, r: 24, t: 48, b: 56 },
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    legend: { orientation: "h", x: 0, y: -0.16 },
    hovermode: "closest",
  });
  // Plotly reads date strings without zone information as given: pass UTC wall time.
  const utc = (ms) => ms === null ? null : new Date(ms).toISOString().slice(0, 23).replace("T", " ");

  const binTrace = (bins, name, color) => {
    const b = bins.filter((x) => x.count > 0 && x.observedRate !== null && x.meanForecast !== null);
    return {
      type: "scatter", mode: "lines+markers", name,
      x: b.map((x) => x.meanForecast), y: b.map((x) => x.observedRate),
      error_y: {
        type: "data", symmetric: false, color, thickness: 1.4, width: 5,
        array: b.map((x) => x.wilsonHi - x.observedRate),
        arrayminus: b.map((x) => x.observedRate - x.wilsonLo),
      },
      marker: { color, size: b.map((x) => 7 + Math.min(13, Math.sqrt(x.count))) },
      line: { color, width: 1.5 },
      customdata: b.map((x) => [x.count, x.lo, x.hi, x.wilsonLo, x.wilsonHi]),
      hovertemplate: name + "<br>bin %{customdata[1]:.2f}–%{customdata[2]:.2f}, n = %{customdata[0]}" +
        "<br>mean forecast %{x:.3f}<br>observed %{y:.3f} [%{customdata[3]:.3f}, %{customdata[4]:.3f}]<extra></extra>",
    };
  };
  Plotly.newPlot("chart-reliability", [
    { type: "scatter", mode: "lines", name: "perfect calibration", x: [0, 1], y: [0, 1],
      line: { color: "#8a949e", dash: "dash", width: 1 }, hoverinfo: "skip" },
    binTrace(data.reliability.model, "model", MODEL),
    binTrace(data.reliability.market, "market", MARKET),
  ], {
    ...base("Reliability: observed YES rate vs forecast (Wilson intervals)"),
    xaxis: { title: { text: "mean forecast probability" }, range: [-0.02, 1.02], zeroline: false, gridcolor: "#eef1f4" },
    yaxis: { title: { text: "observed YES rate" }, range: [-0.02, 1.02], zeroline: false, gridcolor: "#eef1f4" },
  }, config);

  Plotly.newPlot("chart-pnl", [{
    type: "scatter", mode: "lines", name: "cumulative PnL", line: { color: "#2f8f4e", width: 2, shape: "hv" },
    x: data.pnl.ts.map(utc), y: data.pnl.cumulativeTicks.map((t) => t === null ? null : t / 10000),
    hovertemplate: "%{x}<br>$%{y:.4f}<extra></extra>",
  }], {
    ...base("Cumulative realized PnL after fees"),
    xaxis: { type: "date", title: { text: "time (UTC)" }, gridcolor: "#eef1f4" },
    yaxis: { title: { text: "USD" }, tickprefix: "$", gridcolor: "#eef1f4", zerolinecolor: "#8a949e" },
    showlegend: false,
  }, config);

  const xs = data.brierOverTime.ts.map(utc);
  Plotly.newPlot("chart-brier", [
    { type: "scatter", mode: "lines", name: "model", x: xs, y: data.brierOverTime.model, line: { color: MODEL, width: 2 } },
    { type: "scatter", mode: "lines", name: "market", x: xs, y: data.brierOverTime.market, line: { color: MARKET, width: 2 } },
  ], {
    ...base("Brier score over time (lower is better)"),
    xaxis: { type: "date", title: { text: "time (UTC)" }, gridcolor: "#eef1f4" },
    yaxis: { title: { text: "Brier score" }, rangemode: "tozero", gridcolor: "#eef1f4" },
    hovermode: "x unified",
  }, config);

  const inv = data.execution ? data.execution.inventory : [];
  if (inv.length > 0 && document.getElementById("chart-inventory")) {
    Plotly.newPlot("chart-inventory", inv.map((s) => ({
      type: "scatter", mode: "lines", name: s.market, line: { shape: "hv", width: 1.6 },
      x: s.ts.map(utc), y: s.position.map((p) => p / 100),
      hovertemplate: s.market + "<br>%{x}<br>%{y:.2f} contracts<extra></extra>",
    })), {
      ...base("Inventory over time (YES-equivalent contracts; largest positions)"),
      xaxis: { type: "date", title: { text: "time (UTC)" }, gridcolor: "#eef1f4" },
      yaxis: { title: { text: "contracts" }, gridcolor: "#eef1f4", zerolinecolor: "#8a949e" },
    }, config);
  }
  const q = data.execution ? data.execution.quotes : undefined;
  if (q && document.getElementById("chart-quotes")) {
    const qx = q.ts.map(utc);
    const c = (a) => a.map((v) => v === null ? null : v / 100);
    Plotly.newPlot("chart-quotes", [
      { type: "scatter", mode: "lines", name: "book YES bid", x: qx, y: c(q.bookBid),
        line: { color: "#8a949e", width: 1, shape: "hv" } },
      { type: "scatter", mode: "lines", name: "book YES ask", x: qx, y: c(q.bookAsk),
        line: { color: "#4a5560", width: 1, shape: "hv" } },
      { type: "scatter", mode: "markers", name: "our YES bid", x: qx, y: c(q.ourBid),
        marker: { color: MODEL, size: 5 } },
      { type: "scatter", mode: "markers", name: "our YES ask (NO bid)", x: qx, y: c(q.ourAsk),
        marker: { color: MARKET, size: 5 } },
    ], {
      ...base("Our quotes vs the book when sent: " + q.market + " (cents)"),
      xaxis: { type: "date", title: { text: "time (UTC)" }, gridcolor: "#eef1f4" },
      yaxis: { title: { text: "YES price (cents)" }, gridcolor: "#eef1f4" },
    }, config);
  }
})();
`;

/** Content-Security-Policy of the page: inline code only, no network of any kind. */
/**
 * Renders the report as one self-contained HTML page with `plotlyJs` (the
 * minified Plotly bundle) inlined.
 */
export function renderHtml(d: ReportData, plotlyJs: string): string {
  const title = `${d.synthetic ? "[SYNTHETIC] " : ""}${d.title}`;
  const params = Object.keys(d.params).sort();
  const n = d.pnl.cumulativeTicks.length;
  const meta: [string, string][] = [
    ["Run id", String(d.runId)],
    ["Strategy", d.strategy],
    ["Seed", String(d.seed)],
    ["Code version", d.codeVersion],
    ["Digest", d.digest],
    ["Tapes", d.tapes.length === 0 ? "none" : d.tapes.join(", ")],
    ["Data", d.synthetic ? "SYNTHETIC" : "recorded"],
  ];
  if (n > 0) {
    meta.push([
      "Final PnL ($)",
      `${formatDollars(d.pnl.cumulativeTicks[n - 1])} at ${formatTime(d.pnl.ts[n - 1])}`,
    ]);
  }
  const mono = new Set(["Code version", "Digest", "Tapes"]);
  const parts = pageHead({ title, style: STYLE, synthetic: d.synthetic, meta, mono });

  parts.push(
    '<div class="grid">',
    "<section>",
    "<h2>Summary</h2>",
    table(
      [{ head: "item" }, { head: "value", num: true }],
      d.summary.map((s) => [s.label, s.value]),
    ),
    "</section>",
    "<section>",
    "<h2>Scores</h2>",
    table(
      [{ head: "metric" }, { head: "model", num: true }, { head: "market", num: true }, {
        head: "skill",
        num: true,
      }],
      d.scores.map((s) => [
        s.metric,
        formatStat(s.model),
        formatStat(s.market),
        formatStat(s.skill),
      ]),
    ),
    "</section>",
    "</div>",
  );

  const hz = d.byHorizon.filter((h) => h.n > 0);
  if (hz.length > 0) {
    parts.push(
      "<h2>Scores by time to close</h2>",
      table(
        [
          { head: "time to close" },
          { head: "pairs", num: true },
          { head: "Brier model", num: true },
          { head: "Brier market", num: true },
          { head: "log loss model", num: true },
          { head: "log loss market", num: true },
        ],
        hz.map((h) => [
          h.label,
          String(h.n),
          formatStat(h.modelBrier),
          formatStat(h.marketBrier),
          formatStat(h.modelLogLoss),
          formatStat(h.marketLogLoss),
        ]),
      ),
    );
  }

  parts.push(
    "<h2>Charts</h2>",
    ...CHART_IDS.map((id) => `<div id="${id}" class="chart"></div>`),
  );

  if (d.execution !== undefined) {
    parts.push("<h2>Execution</h2>");
    for (const t of executionTables(d.execution)) {
      parts.push(
        `<h3>${esc(t.title)}</h3>`,
        table(
          t.head.map((h) => h.startsWith(">") ? { head: h.slice(1), num: true } : { head: h }),
          t.rows,
        ),
      );
    }
    if (d.execution.inventory.length > 0) {
      parts.push(`<div id="chart-inventory" class="chart"></div>`);
    }
    if (d.execution.quotes !== undefined) {
      parts.push(`<div id="chart-quotes" class="chart"></div>`);
    }
  }

  if (d.lastEvents !== undefined && d.lastEvents.length > 0) {
    parts.push("<h2>PMF vs outcome, last events</h2>");
    for (const e of d.lastEvents) {
      parts.push(
        `<h3>${esc(e.event)} (${esc(new Date(e.ts).toISOString())})</h3>`,
        table(
          [{ head: "bin" }, { head: "model", num: true }, { head: "market", num: true }, {
            head: "outcome",
          }],
          e.bins.map((b, i) => [
            b,
            formatStat(e.model[i]),
            e.market[i] === null ? "n/a" : formatStat(e.market[i] as number),
            i === e.outcome ? "YES" : "",
          ]),
        ),
      );
    }
  }

  parts.push(
    "<h2>Per event</h2>",
    table(
      [
        { head: "event" },
        { head: "forecasts", num: true },
        { head: "Brier model", num: true },
        { head: "Brier market", num: true },
        { head: "PnL ($)", num: true },
      ],
      d.perEvent.map((e) => [
        e.event,
        String(e.forecasts),
        formatStat(e.brierModel),
        formatStat(e.brierMarket),
        formatDollars(e.pnlTicks),
      ]),
    ),
    "<h2>Reliability</h2>",
    table(
      [
        { head: "forecaster" },
        { head: "bin" },
        { head: "n", num: true },
        { head: "mean forecast", num: true },
        { head: "observed", num: true },
        { head: "Wilson interval", num: true },
      ],
      [
        ...d.reliability.model.map((b) => binRow("model", b)),
        ...d.reliability.market.map((b) => binRow("market", b)),
      ],
    ),
    "<h2>Parameters</h2>",
    table(
      [{ head: "parameter" }, { head: "value" }],
      params.map((k) => [k, formatParam(d.params[k])]),
    ),
    ...pageEnd([["report-data", d]], plotlyJs, RENDER_SCRIPT),
  );
  return parts.join("\n");
}
