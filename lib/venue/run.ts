/**
 * One backtest run end to end: open the tapes, replay them through a strategy,
 * score, digest, store everything in the results database and write the
 * Markdown and HTML reports.
 *
 * The run is recorded as `running` before the replay starts and marked
 * `complete` only after every row and the digest are stored; any error marks it
 * `failed` with the message, so a bad tape never leaves a run that looks done.
 *
 * @module
 */

import { join } from "node:path";
import type { Strategy } from "../engine/strategy.ts";
import { type MetricRow, ResultsDb } from "../store/results_db.ts";
import { resultsDigest } from "../store/digest.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { renderHtml } from "../report/html.ts";
import { loadPlotlySource } from "../report/plotly_source.ts";
import type { ExecutionSection, ReportData } from "../report/types.ts";
import { formatMoney } from "../units/price.ts";
import { replay, type ReplayConfig, type ReplayHooks, type ReplayResult } from "./replay.ts";
import { metricRows, scoreReplay, type ScoreSummary } from "./score.ts";
import { fillRealism, fillRealismMetricRows } from "./fill_realism.ts";
import { attributePnl, pnlAttributionMetricRows } from "./pnl_attribution.ts";
import { type BlockSource, StreamMerger } from "./stream.ts";

/** What a run needs. */
export interface RunOptions {
  readonly strategy: Strategy;
  /** Streams to replay, in merge priority order. */
  readonly streams: readonly BlockSource[];
  /** Tape names stored with the run. */
  readonly tapeNames: readonly string[];
  /** Whether the data is synthetic (the reports say so). */
  readonly synthetic: boolean;
  readonly replay: ReplayConfig;
  /** Results database file. */
  readonly dbPath: string;
  /** Folder for the reports (a run-<id> folder is created inside). */
  readonly outDir: string;
  readonly codeVersion: string;
  /** Wall-clock start, informational only (never part of the digest). */
  readonly startedAt: string;
  /** Wall clock for the finish stamp (injected so the library keeps no ambient clock). */
  readonly now: () => string;
  /** Write reports (default true). */
  readonly reports?: boolean;
  readonly hooks?: ReplayHooks;
}

/** What a run produced. */
export interface RunOutcome {
  readonly runId: number;
  readonly digest: string;
  readonly scores: ScoreSummary;
  readonly result: ReplayResult;
  readonly markdownPath?: string;
  readonly htmlPath?: string;
  readonly reportData: ReportData;
}

/** Run a backtest; throws (after recording the run as failed) on any error. */
export async function runBacktest(o: RunOptions): Promise<RunOutcome> {
  const db = ResultsDb.open(o.dbPath);
  try {
    const config = {
      strategy: o.strategy.name,
      params: o.strategy.params,
      replay: o.replay,
      tapes: o.tapeNames,
    };
    const runId = db.beginRun({
      strategy: o.strategy.name,
      config,
      seed: o.replay.seed,
      codeVersion: o.codeVersion,
      tapes: [...o.tapeNames],
      startedAt: o.startedAt,
    });
    try {
      const merger = new StreamMerger(o.streams);
      const result = await replay(merger, o.strategy, o.replay, o.hooks);
      const eventOf = (m: string) => result.marketEvents.get(m) ?? "?";
      const scores = scoreReplay(result, eventOf);
      const execution = executionOf(result);
      const metrics = [...metricRows(scores), ...execution.metrics];
      const digest = resultsDigest({
        forecasts: result.forecasts,
        orders: result.orders,
        fills: result.fills,
        settlements: result.settlements,
        metrics,
      });
      db.insertForecasts(runId, result.forecasts);
      db.insertOrders(runId, result.orders);
      db.insertFills(runId, result.fills);
      db.insertSettlements(runId, result.settlements);
      db.insertMetrics(runId, metrics);
      db.insertRecords(runId, "decisions", result.decisions);
      db.insertRecords(runId, "fill_observations", result.fillObservations);
      // Positions at the end of the run, per market traded (settled or still open).
      db.insertRecords(
        runId,
        "positions",
        result.portfolio.markets().filter((m) => {
          const a = result.portfolio.account(m);
          return a.boughtYes + a.boughtNo > 0;
        }).map((market) => {
          const a = result.portfolio.account(market);
          return {
            market,
            position: a.position,
            settled: a.settled,
            boughtYes: a.boughtYes,
            boughtNo: a.boughtNo,
            feesTicks: a.fees,
            cashTicks: a.cash,
          };
        }),
      );
      if (result.gateDecisions.length > 0) {
        db.insertRecords(runId, "gate_decisions", result.gateDecisions);
      }
      db.insertRecords(
        runId,
        "forecast_calibration",
        result.eventForecasts.filter((f) => Number.isFinite(f.calibratedTs)).map((f) => ({
          ts: f.ts,
          event: f.event,
          calibratedTs: f.calibratedTs,
          ageMs: f.ts - f.calibratedTs,
        })),
      );
      const reportData = buildReportData(runId, digest, o, result, scores);
      reportData.lastEvents = lastEvents(result);
      // Any run that sent orders gets the execution section (a run whose resting
      // orders never filled still shows its quotes against the book and fill rates).
      if (result.decisions.length > 0) reportData.execution = execution.section;
      let markdownPath: string | undefined;
      let htmlPath: string | undefined;
      if (o.reports !== false) {
        const dir = join(o.outDir, `run-${runId}`);
        await Deno.mkdir(dir, { recursive: true });
        markdownPath = join(dir, "report.md");
        htmlPath = join(dir, "report.html");
        await Deno.writeTextFile(markdownPath, renderMarkdown(reportData));
        await Deno.writeTextFile(htmlPath, renderHtml(reportData, await loadPlotlySource()));
      }
      db.completeRun(runId, digest, o.now());
      return { runId, digest, scores, result, markdownPath, htmlPath, reportData };
    } catch (e) {
      db.failRun(runId, e instanceof Error ? e.message : String(e), o.now());
      throw e;
    }
  } finally {
    db.close();
  }
}

const dollars = (ticks: number) => `$${formatMoney(ticks)}`;
const num = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

/** The report's view of a run. */
export function buildReportData(
  runId: number,
  digest: string,
  o: Pick<RunOptions, "strategy" | "tapeNames" | "synthetic" | "replay" | "codeVersion">,
  r: ReplayResult,
  s: ScoreSummary,
): ReportData {
  const h = s.headToHead;
  const t = s.trading;
  const perEventPairs = new Map<string, { n: number; m: number; k: number; nk: number }>();
  for (const f of r.forecasts) {
    if (f.outcome === null) continue;
    let e = perEventPairs.get(f.event);
    if (e === undefined) {
      e = { n: 0, m: 0, k: 0, nk: 0 };
      perEventPairs.set(f.event, e);
    }
    e.n++;
    e.m += (f.pModel - f.outcome) ** 2;
    if (f.pMarket !== null) {
      e.k += (f.pMarket - f.outcome) ** 2;
      e.nk++;
    }
  }
  const pnlByEvent = new Map(t.perEvent.map((x) => [x.event, x.pnlTicks]));
  return {
    title: `Backtest run ${runId}: ${o.strategy.name}`,
    runId,
    strategy: o.strategy.name,
    seed: o.replay.seed,
    tapes: [...o.tapeNames],
    synthetic: o.synthetic,
    digest,
    codeVersion: o.codeVersion,
    params: { ...o.strategy.params, ...prefixed("replay.", o.replay) },
    summary: [
      { label: "Events replayed", value: String(r.eventsProcessed) },
      { label: "Forecasts scored (market pairs)", value: String(s.forecastsScored) },
      { label: "Head-to-head pairs (market quoted)", value: String(h.model.n) },
      { label: "Brier (model, all pairs)", value: num(s.model.brier) },
      { label: "Log loss (model, all pairs)", value: num(s.model.logLoss) },
      { label: "Orders", value: String(t.orders) },
      { label: "Fills", value: String(t.fills) },
      { label: "Contracts traded", value: (t.contractsCenti / 100).toFixed(2) },
      { label: "Fees", value: dollars(t.feesTicks) },
      { label: "PnL after fees", value: dollars(t.pnlTicks) },
      { label: "Max drawdown", value: dollars(t.maxDrawdownTicks) },
      { label: "Per-event Sharpe", value: num(t.perEventSharpe, 3) },
      ...calibrationAgeRows(r),
      { label: "Anomalies", value: String(r.anomalyCount) },
      { label: "Unsettled positions", value: String(r.unsettledPositions.length) },
    ],
    scores: [
      { metric: "Brier", model: h.model.brier, market: h.market.brier, skill: h.brierSkill },
      {
        metric: "Log loss",
        model: h.model.logLoss,
        market: h.market.logLoss,
        skill: h.logLossSkill,
      },
      { metric: "RPS (events)", model: s.rps.model, market: s.rps.market, skill: s.rps.skill },
    ],
    reliability: { model: s.reliability.model, market: s.reliability.market },
    pnl: { ts: t.pnlCurve.ts, cumulativeTicks: t.pnlCurve.cumulativeTicks },
    brierOverTime: s.brierOverTime,
    byHorizon: s.byHorizon,
    perEvent: [...perEventPairs.entries()].map(([event, e]) => ({
      event,
      forecasts: e.n,
      brierModel: e.m / e.n,
      brierMarket: e.nk === 0 ? Number.NaN : e.k / e.nk,
      pnlTicks: pnlByEvent.get(event) ?? 0,
    })),
  };
}

function prefixed(prefix: string, o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[prefix + k] = v;
  return out;
}

/**
 * Fill realism and the PnL split of a replay, as metric rows and a report
 * section. The split reconciles to the settlements' PnL or throws; unsettled
 * markets are valued on a cash basis (no mark), as the PnL line is.
 */
function executionOf(
  r: ReplayResult,
): { metrics: MetricRow[]; section: ExecutionSection } {
  if (r.decisions.length === 0) {
    return {
      metrics: [],
      section: {
        makerBuckets: [],
        slippage: [],
        markouts: [],
        pnlSplit: { spreadTicks: 0, inventoryTicks: 0, feesTicks: 0, totalTicks: 0 },
        inventory: [],
      },
    };
  }
  const fr = fillRealism({
    decisions: r.decisions,
    fills: r.fills,
    observations: r.fillObservations,
    orders: r.orders,
  });
  const pa = attributePnl({
    fills: r.fills,
    settlements: r.settlements,
    observations: r.fillObservations,
  });
  // Quotes vs book: resting orders of the market that sent the most of them.
  const resting = r.decisions.filter((d) => d.timeInForce !== "ioc" && d.bookValid);
  const perMarket = new Map<string, number>();
  for (const d of resting) perMarket.set(d.market, (perMarket.get(d.market) ?? 0) + 1);
  const top = [...perMarket.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const qs = top === undefined ? [] : resting.filter((d) => d.market === top[0]).slice(0, 2000);
  const quotes = top === undefined ? undefined : {
    market: top[0],
    ts: qs.map((d) => d.ts),
    bookBid: qs.map((d) => d.yesBid),
    bookAsk: qs.map((d) => d.yesAsk),
    ourBid: qs.map((d) => (d.side === "yes" ? d.limitPrice : null)),
    ourAsk: qs.map((d) => (d.side === "no" ? 10_000 - d.limitPrice : null)),
  };
  const inventory = [...pa.inventory].sort((a, b) =>
    b.maxAbsPosition - a.maxAbsPosition || (a.market < b.market ? -1 : 1)
  ).slice(0, 8).map((s) => ({ market: s.market, ts: s.ts, position: s.position }));
  return {
    metrics: [...fillRealismMetricRows(fr), ...pnlAttributionMetricRows(pa)],
    section: {
      makerBuckets: fr.maker.buckets.filter((b) => b.orders > 0).map((b) => ({
        bucket: b.bucket,
        orders: b.orders,
        fillRate: b.fillRate,
        fillRateLo: b.fillRateLo,
        fillRateHi: b.fillRateHi,
        withAssumption: b.withAssumption,
        meanAssumed: b.meanAssumed,
        observedWithAssumption: b.observedWithAssumption,
      })),
      slippage: fr.slippage.filter((x) => x.fills > 0).map((x) => ({
        role: x.role,
        fills: x.fills,
        avgSlippageTicks: x.avgSlippageTicks,
        worstTicks: x.worstTicks,
      })),
      markouts: fr.markouts.filter((x) => x.n > 0).map((x) => ({
        role: x.role,
        horizonMs: x.horizonMs,
        n: x.n,
        meanMoveTicks: x.meanMoveTicks,
        adverse: x.adverse,
      })),
      pnlSplit: {
        spreadTicks: pa.total.spreadTicks,
        inventoryTicks: pa.total.inventoryTicks,
        feesTicks: pa.total.feesTicks,
        totalTicks: pa.total.totalTicks,
      },
      inventory,
      ...(quotes !== undefined ? { quotes } : {}),
    },
  };
}

/** How old the parameters behind the forecasts were (walk-forward runs), as summary rows. */
function calibrationAgeRows(r: ReplayResult): { label: string; value: string }[] {
  const ages = r.eventForecasts.filter((f) => Number.isFinite(f.calibratedTs))
    .map((f) => f.ts - f.calibratedTs).sort((a, b) => a - b);
  if (ages.length === 0) return [];
  const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} d`;
  return [{
    label: "Calibration age at forecast (median / max)",
    value: `${days(ages[Math.floor(ages.length / 2)])} / ${
      days(ages[ages.length - 1])
    } (${ages.length} forecasts)`,
  }];
}

/** The last (at most 10) settled events: their final forecast PMFs and the outcome bin. */
function lastEvents(r: ReplayResult): ReportData["lastEvents"] {
  const last = new Map<string, (typeof r.eventForecasts)[number]>();
  for (const f of r.eventForecasts) if (r.eventOutcomes.has(f.event)) last.set(f.event, f);
  return [...last.values()].sort((a, b) => a.ts - b.ts || (a.event < b.event ? -1 : 1))
    .slice(-10).map((f) => ({
      event: f.event,
      ts: f.ts,
      bins: r.eventBins.get(f.event) ?? [],
      model: [...f.pmfModel],
      market: f.pmfMarket === null
        ? Array.from(f.pmfModel, (): number | null => null)
        : [...f.pmfMarket],
      outcome: r.eventOutcomes.get(f.event)!,
    }));
}
