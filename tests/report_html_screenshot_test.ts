/**
 * End-to-end check of the HTML report: render a small report with the real
 * Plotly bundle, open it from a file in headless Chromium (no network), and
 * assert that every chart was drawn; then take a screenshot and check it is a
 * real image. Needs Debian's `chromium` at /usr/bin/chromium; without it the test
 * fails (it never skips silently).
 *
 * Set REPORT_SCREENSHOT_OUT=<folder> to keep the page and the screenshot there.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CHART_IDS, renderHtml } from "../lib/report/html.ts";
import { loadPlotlySource } from "../lib/report/plotly_source.ts";
import type { ReportBin, ReportData } from "../lib/report/types.ts";

const CHROMIUM = "/usr/bin/chromium";

/** Deterministic pseudo-random numbers in [0, 1) (LCG), so the page is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const mid = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return [Math.max(0, mid - half), Math.min(1, mid + half)];
}

function sampleReport(): ReportData {
  const rnd = lcg(20260101);
  const t0 = Date.UTC(2026, 0, 5, 13, 30);
  const forecasts: { p: number; q: number; y: 0 | 1; ts: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const truth = rnd();
    const y: 0 | 1 = rnd() < truth ? 1 : 0;
    const p = Math.min(0.99, Math.max(0.01, truth + (rnd() - 0.5) * 0.2));
    const q = Math.min(0.99, Math.max(0.01, truth + (rnd() - 0.5) * 0.35));
    forecasts.push({ p, q, y, ts: t0 + i * 3_600_000 });
  }
  const bins = (pick: (f: typeof forecasts[number]) => number): ReportBin[] => {
    const out: ReportBin[] = [];
    for (let b = 0; b < 10; b++) {
      const lo = b / 10, hi = (b + 1) / 10;
      const inBin = forecasts.filter((f) => pick(f) >= lo && (pick(f) < hi || b === 9));
      const k = inBin.reduce((a, f) => a + f.y, 0);
      const [wl, wh] = wilson(k, inBin.length);
      out.push({
        lo,
        hi,
        count: inBin.length,
        meanForecast: inBin.length ? inBin.reduce((a, f) => a + pick(f), 0) / inBin.length : NaN,
        observedRate: inBin.length ? k / inBin.length : NaN,
        wilsonLo: wl,
        wilsonHi: wh,
      });
    }
    return out;
  };
  let cum = 0, bm = 0, bq = 0;
  const pnl = { ts: [] as number[], cumulativeTicks: [] as number[] };
  const brier = { ts: [] as number[], model: [] as number[], market: [] as number[] };
  forecasts.forEach((f, i) => {
    cum += Math.round((f.y - f.q) * 1000 * (f.p > f.q ? 1 : -1));
    pnl.ts.push(f.ts);
    pnl.cumulativeTicks.push(cum);
    bm += (f.p - f.y) ** 2;
    bq += (f.q - f.y) ** 2;
    brier.ts.push(f.ts);
    brier.model.push(bm / (i + 1));
    brier.market.push(bq / (i + 1));
  });
  const n = forecasts.length;
  return {
    title: "Screenshot test report",
    runId: 1,
    strategy: "demo-fv",
    seed: 20260101,
    tapes: ["fixtures/synthetic-demo.ndjson"],
    synthetic: true,
    digest: "0123456789abcdef".repeat(4),
    codeVersion: "test",
    params: { minEdge: 0.02, size: 100 },
    summary: [{ label: "forecasts", value: String(n) }, {
      label: "final PnL ($)",
      value: (cum / 10000).toFixed(4),
    }],
    scores: [{
      metric: "Brier",
      model: bm / n,
      market: bq / n,
      skill: 1 - bm / bq,
    }],
    reliability: { model: bins((f) => f.p), market: bins((f) => f.q) },
    pnl,
    byHorizon: [
      {
        label: "<=15m",
        n: 3,
        modelBrier: 0.05,
        marketBrier: 0.04,
        modelLogLoss: 0.2,
        marketLogLoss: 0.18,
      },
      {
        label: "15m-1h",
        n: 0,
        modelBrier: Number.NaN,
        marketBrier: Number.NaN,
        modelLogLoss: Number.NaN,
        marketLogLoss: Number.NaN,
      },
    ],
    brierOverTime: brier,
    perEvent: [{
      event: "DEMO-26JAN",
      forecasts: n,
      brierModel: bm / n,
      brierMarket: bq / n,
      pnlTicks: cum,
    }],
  };
}

async function chromium(
  args: string[],
  profile: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 120_000);
  try {
    const out = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        "--virtual-time-budget=5000",
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: ctl.signal,
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("HTML report renders its Plotly charts in headless Chromium", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    assert.fail(
      `Cannot run the HTML report test: ${CHROMIUM} is missing; install Debian chromium ` +
        "(apt-get install chromium)",
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "report_html_" });
  try {
    const page = renderHtml(sampleReport(), await loadPlotlySource());
    const html = join(dir, "report.html");
    await Deno.writeTextFile(html, page);
    const url = new URL(`file://${html}`).href;

    const dump = await chromium(["--dump-dom", url], join(dir, "profile-dom"));
    assert.equal(dump.code, 0, `chromium --dump-dom failed:\n${dump.stderr}`);
    const dom = dump.stdout;
    assert.ok(dom.includes("SYNTHETIC DATA"), "banner present");

    const starts = CHART_IDS.map((id) => dom.indexOf(`id="${id}"`));
    starts.forEach((s, i) => assert.ok(s >= 0, `chart div ${CHART_IDS[i]} in the DOM`));
    const segments = CHART_IDS.map((_, i) =>
      dom.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : dom.indexOf("<h2>", starts[i]))
    );
    segments.forEach((seg, i) => {
      const id = CHART_IDS[i];
      assert.doesNotMatch(seg, /<p class="chart-error">/, `${id}: Plotly loaded`);
      assert.match(seg, /class="[^"]*js-plotly-plot/, `${id} became a Plotly plot`);
      assert.match(seg, /<svg class="main-svg"/, `${id} has a rendered main-svg`);
      assert.match(seg, /class="scatterlayer/, `${id} has traces`);
      assert.match(seg, /class="js-line"/, `${id} has drawn lines`);
    });
    const [reliability, pnl, brier] = segments;
    assert.match(reliability, /class="errorbar"/, "Wilson error bars drawn");
    assert.match(reliability, /perfect calibration/, "diagonal in the legend");
    assert.match(pnl, /Jan[^<]{0,12}2026|2026/, "PnL x axis shows dates");
    assert.match(pnl, /\$/, "PnL y axis in dollars");
    assert.match(brier, />model</, "Brier legend has model");
    assert.match(brier, />market</, "Brier legend has market");

    const png = join(dir, "report.png");
    const shot = await chromium(
      ["--hide-scrollbars", "--window-size=1280,2200", `--screenshot=${png}`, url],
      join(dir, "profile-shot"),
    );
    assert.equal(shot.code, 0, `chromium --screenshot failed:\n${shot.stderr}`);
    const bytes = await Deno.readFile(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG file");
    assert.ok(bytes.length > 50_000, `screenshot is non-trivial, got ${bytes.length} bytes`);

    const keep = Deno.env.get("REPORT_SCREENSHOT_OUT");
    if (keep) {
      await Deno.mkdir(keep, { recursive: true });
      await Deno.copyFile(png, join(keep, "report.png"));
      await Deno.copyFile(html, join(keep, "report.html"));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
