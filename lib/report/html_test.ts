import assert from "node:assert/strict";
import { CHART_IDS, renderHtml } from "./html.ts";
import { jsonForScript } from "./html_page.ts";
import type { ReportData } from "./types.ts";

function sample(synthetic: boolean): ReportData {
  return {
    title: "Claims <b>ladder</b> & co",
    runId: 3,
    strategy: "claims-fv",
    seed: 9,
    tapes: ["fixtures/claims.ndjson"],
    synthetic,
    digest: "cd".repeat(32),
    codeVersion: "deadbeef",
    params: { note: "</script><script>alert(1)</script>", edge: 0.02 },
    summary: [{ label: "fills", value: "4" }],
    scores: [{ metric: "Brier", model: 0.1, market: 0.12, skill: 0.1667 }],
    reliability: {
      model: [{
        lo: 0,
        hi: 1,
        count: 4,
        meanForecast: 0.5,
        observedRate: 0.5,
        wilsonLo: 0.15,
        wilsonHi: 0.85,
      }],
      market: [{
        lo: 0,
        hi: 1,
        count: 4,
        meanForecast: 0.45,
        observedRate: 0.5,
        wilsonLo: 0.15,
        wilsonHi: 0.85,
      }],
    },
    pnl: { ts: [1_767_225_600_000, 1_767_229_200_000], cumulativeTicks: [0, 25_000] },
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
    brierOverTime: {
      ts: [1_767_225_600_000, 1_767_229_200_000],
      model: [0.1, NaN],
      market: [0.12, 0.11],
    },
    perEvent: [{
      event: "KXJOBLESSCLAIMS-26JAN08",
      forecasts: 4,
      brierModel: 0.1,
      brierMarket: 0.12,
      pnlTicks: 25_000,
    }],
  };
}

const PLOTLY_STUB = "/*PLOTLY-STUB*/ var Plotly = { newPlot() {} };";

/** The page's own markup: everything except the inlined Plotly source. */
function ownMarkup(page: string): string {
  const at = page.indexOf(PLOTLY_STUB);
  assert.ok(at > 0, "the Plotly source is inlined");
  return page.slice(0, at) + page.slice(at + PLOTLY_STUB.length);
}

Deno.test("renderHtml is self-contained: no URL in its own markup", () => {
  for (const synthetic of [false, true]) {
    const own = ownMarkup(renderHtml(sample(synthetic), PLOTLY_STUB));
    assert.doesNotMatch(own, /https?:\/\//);
    assert.doesNotMatch(own, /\b(src|href)\s*=/i, "no external resources referenced");
    assert.doesNotMatch(own, /\/\/cdn|@import|url\(/i);
    assert.match(
      own,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/,
    );
  }
});

Deno.test("renderHtml has the chart containers, tables and escaped text", () => {
  const page = renderHtml(sample(false), PLOTLY_STUB);
  assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
  for (const id of CHART_IDS) assert.ok(page.includes(`<div id="${id}" class="chart"></div>`), id);
  assert.ok(page.includes("<title>Claims &lt;b&gt;ladder&lt;/b&gt; &amp; co</title>"));
  assert.ok(page.includes('<td class="mono">' + "cd".repeat(32) + "</td>"));
  assert.ok(page.includes('<td>KXJOBLESSCLAIMS-26JAN08</td><td class="num">4</td>'));
  assert.ok(page.includes('<td class="num">2.5000</td>'), "PnL in dollars");
  assert.ok(page.includes('<td class="num">0.1667</td>'), "skill");
  assert.ok(page.includes("[0.1500, 0.8500]"), "Wilson interval");
  assert.doesNotMatch(page, /SYNTHETIC/);
  // The only </script> sequences are the ends of the three script elements.
  assert.equal(page.match(/<\/script/gi)?.length, 3);
});

Deno.test("renderHtml embeds the data as JSON that round-trips", () => {
  const d = sample(false);
  const page = renderHtml(d, PLOTLY_STUB);
  const m = page.match(/<script type="application\/json" id="report-data">([^<]*)<\/script>/);
  assert.ok(m, "data block present and free of '<'");
  const back = JSON.parse(m[1]);
  assert.equal(back.params.note, d.params.note);
  assert.equal(back.title, d.title);
  assert.deepEqual(back.brierOverTime.model, [0.1, null], "NaN becomes null (a gap)");
  assert.equal(jsonForScript("</script>&\u2028"), '"\\u003c/script\\u003e\\u0026\\u2028"');
});

Deno.test("renderHtml shows SYNTHETIC DATA prominently when synthetic", () => {
  const page = renderHtml(sample(true), PLOTLY_STUB);
  assert.match(page, /<title>\[SYNTHETIC\] /);
  assert.match(page, /<h1>\[SYNTHETIC\] /);
  assert.match(page, /<div class="synthetic" role="alert"><strong>SYNTHETIC DATA<\/strong>/);
});

Deno.test("renderHtml neutralizes </script inside the inlined library", () => {
  const page = renderHtml(sample(false), 'var s = "</script>"; var Plotly = {newPlot(){}};');
  assert.equal(page.match(/<\/script/gi)?.length, 3);
  assert.ok(page.includes('var s = "<\\/script>"'));
});
