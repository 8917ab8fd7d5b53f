import assert from "node:assert/strict";
import { formatDollars, formatStat, renderMarkdown } from "./markdown.ts";
import type { ReportData } from "./types.ts";

function sample(synthetic: boolean): ReportData {
  return {
    title: "CPI ladder | fair value",
    runId: 7,
    strategy: "ladder-fv",
    seed: 42,
    tapes: ["fixtures/cpi.ndjson"],
    synthetic,
    digest: "ab".repeat(32),
    codeVersion: "v0.1.0-3-gabc",
    params: { minEdge: 0.03, sizing: { kind: "fixed", count: 100 }, name: "x|y" },
    summary: [{ label: "orders", value: "12" }, { label: "hit rate", value: "58.3%" }],
    scores: [
      { metric: "Brier", model: 0.18, market: 0.2, skill: 0.1 },
      { metric: "log loss", model: 0.55, market: NaN, skill: NaN },
    ],
    reliability: {
      model: [
        {
          lo: 0,
          hi: 0.5,
          count: 10,
          meanForecast: 0.21,
          observedRate: 0.2,
          wilsonLo: 0.057,
          wilsonHi: 0.51,
        },
        {
          lo: 0.5,
          hi: 1,
          count: 0,
          meanForecast: NaN,
          observedRate: NaN,
          wilsonLo: 0,
          wilsonHi: 1,
        },
      ],
      market: [
        {
          lo: 0,
          hi: 0.5,
          count: 9,
          meanForecast: 0.25,
          observedRate: 0.2222,
          wilsonLo: 0.063,
          wilsonHi: 0.547,
        },
      ],
    },
    pnl: { ts: [1_767_225_600_000, 1_767_229_200_000], cumulativeTicks: [-1200, 34_567] },
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
    brierOverTime: { ts: [1_767_225_600_000], model: [0.2], market: [0.22] },
    perEvent: [
      {
        event: "KXCPI-26JAN",
        forecasts: 10,
        brierModel: 0.18,
        brierMarket: 0.2,
        pnlTicks: -12_345,
      },
    ],
  };
}

Deno.test("formatDollars formats ticks as dollars with 4 decimals", () => {
  assert.equal(formatDollars(0), "0.0000");
  assert.equal(formatDollars(5), "0.0005");
  assert.equal(formatDollars(10_000), "1.0000");
  assert.equal(formatDollars(-12_345), "-1.2345");
  assert.equal(formatDollars(123_456_789), "12345.6789");
  assert.equal(formatDollars(-0), "0.0000");
  assert.equal(formatDollars(NaN), "n/a");
  assert.equal(formatStat(-0.00001), "0.0000");
  assert.equal(formatStat(0.123456), "0.1235");
});

Deno.test("renderMarkdown shows run identity, tables and money in dollars", () => {
  const md = renderMarkdown(sample(false));
  assert.match(md, /^# CPI ladder \| fair value\n/);
  assert.doesNotMatch(md, /SYNTHETIC/);
  for (
    const s of [
      "| Run id | 7 |",
      "| Seed | 42 |",
      "| Strategy | ladder-fv |",
      `| Digest | \`${"ab".repeat(32)}\` |`,
      "| Tapes | `fixtures/cpi.ndjson` |",
      "## Parameters",
      "| minEdge | 0.03 |",
      '| sizing | {"kind":"fixed","count":100} |',
      "| name | x\\|y |",
      "| hit rate | 58.3% |",
      "| metric | model | market | skill |",
      "| Brier | 0.1800 | 0.2000 | 0.1000 |",
      "| log loss | 0.5500 | n/a | n/a |",
      "| model | 0.00–0.50 | 10 | 0.2100 | 0.2000 | [0.0570, 0.5100] |",
      "| model | 0.50–1.00 | 0 | n/a | n/a | n/a |",
      "| market | 0.00–0.50 | 9 | 0.2500 | 0.2222 | [0.0630, 0.5470] |",
      "| KXCPI-26JAN | 10 | 0.1800 | 0.2000 | -1.2345 |",
      "Final cumulative PnL ($): 3.4567 at 2026-01-01T01:00:00.000Z.",
    ]
  ) assert.ok(md.includes(s), `missing ${JSON.stringify(s)} in\n${md}`);
  // Every table row has the same number of unescaped pipes as its header.
  for (const block of md.split("\n\n")) {
    const rows = block.split("\n").filter((l) => l.startsWith("|"));
    const pipes = rows.map((r) => r.replace(/\\\|/g, "").split("|").length);
    assert.ok(pipes.every((p) => p === pipes[0]), block);
  }
});

Deno.test("renderMarkdown puts a SYNTHETIC DATA banner on synthetic runs", () => {
  const md = renderMarkdown(sample(true));
  assert.match(md, /^# \[SYNTHETIC\] /);
  assert.match(md, /\n> \*\*⚠ SYNTHETIC DATA: /);
  assert.ok(md.includes("| Data | **SYNTHETIC** |"));
});

Deno.test("renderMarkdown handles empty sections", () => {
  const d = sample(false);
  const md = renderMarkdown({
    ...d,
    params: {},
    summary: [],
    scores: [],
    reliability: { model: [], market: [] },
    perEvent: [],
    pnl: { ts: [], cumulativeTicks: [] },
  });
  assert.equal(md.match(/_none_/g)?.length, 5);
  assert.doesNotMatch(md, /Final cumulative PnL/);
});

Deno.test("renderMarkdown shows scores by time to close for non-empty buckets only", () => {
  const md = renderMarkdown(sample(false));
  assert.match(md, /## Scores by time to close/);
  assert.match(md, /\| <=15m +\| +3 \| +0\.0500 \| +0\.0400 \|/);
  assert.doesNotMatch(md, /15m-1h/);
});

Deno.test("renderMarkdown shows the last events' PMFs with the outcome marked", () => {
  const d = sample(false);
  d.lastEvents = [{
    event: "E1",
    ts: 0,
    bins: ["(-inf, 100)", "[100, +inf)"],
    model: [0.25, 0.75],
    market: [0.3, null],
    outcome: 1,
  }];
  const md = renderMarkdown(d);
  assert.match(md, /## PMF vs outcome, last events/);
  assert.match(md, /\| \[100, \+inf\) +\| +0\.7500 \| +n\/a \| YES +\|/);
});
