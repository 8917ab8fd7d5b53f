/**
 * Turns a replay's forecasts, fills and settlements into the run's scores.
 *
 * Model and market are compared head to head on the same forecast pairs: only
 * pairs where the market had a two-sided quote on every market of the ladder
 * (so a market-implied PMF existed) enter the skill comparison. The model's
 * scores over all its pairs are reported as well.
 *
 * @module
 */

import { binaryScores } from "../scoring/binary.ts";
import { rankedProbabilityScore } from "../scoring/categorical.ts";
import { skillScore } from "../scoring/skill.ts";

/** Skill over a reference, NaN when either score is undefined (no pairs). */
const skill = (model: number, reference: number): number =>
  Number.isFinite(model) && Number.isFinite(reference) ? skillScore(model, reference) : Number.NaN;
import { type ReliabilityBin, reliabilityBins } from "../scoring/reliability.ts";
import { hitRate, maxDrawdown, sharpeRatio } from "../scoring/trading.ts";
import { NeumaierAccumulator } from "../scoring/neumaier.ts";
import type { MetricRow } from "../store/results_db.ts";
import type { ReplayResult } from "./replay.ts";
import { type HorizonScores, scoresByHorizon } from "./horizon_scores.ts";

/** Scores of one forecaster (model or market) on a set of pairs. */
export interface PairScores {
  readonly n: number;
  readonly brier: number;
  readonly logLoss: number;
}

/** All scores of a run. */
export interface ScoreSummary {
  /** Market-level forecast pairs with a known outcome. */
  readonly forecastsScored: number;
  /** Model over all scored pairs. */
  readonly model: PairScores;
  /** Head to head on pairs where the market had an implied PMF. */
  readonly headToHead: {
    readonly model: PairScores;
    readonly market: PairScores;
    readonly brierSkill: number;
    readonly logLossSkill: number;
  };
  /** Ranked probability score of event PMFs (head to head), and its skill. */
  readonly rps: {
    readonly n: number;
    readonly model: number;
    readonly market: number;
    readonly skill: number;
  };
  readonly reliability: { readonly model: ReliabilityBin[]; readonly market: ReliabilityBin[] };
  /** Head-to-head scores by time to the market's close (see horizon_scores.ts). */
  readonly byHorizon: HorizonScores[];
  /** Hourly Brier buckets (head-to-head pairs). */
  readonly brierOverTime: { ts: number[]; model: number[]; market: number[] };
  readonly trading: {
    readonly orders: number;
    readonly fills: number;
    readonly contractsCenti: number;
    readonly notionalTicks: number;
    readonly feesTicks: number;
    readonly pnlTicks: number;
    readonly perEventSharpe: number;
    readonly maxDrawdownTicks: number;
    readonly eventHitRate: number;
    readonly pnlCurve: { ts: number[]; cumulativeTicks: number[] };
    readonly perEvent: { event: string; pnlTicks: number }[];
  };
}

const HOUR_MS = 3_600_000;

/** Score a replay. `eventOf` maps a market ticker to its event ticker. */
export function scoreReplay(r: ReplayResult, eventOf: (market: string) => string): ScoreSummary {
  const all = r.forecasts.filter((f) => f.outcome !== null);
  const h2h = all.filter((f) => f.pMarket !== null);
  // The pairs as columns, each filled in one pass.
  const p = new Float64Array(all.length);
  const y = new Float64Array(all.length);
  for (let i = 0; i < all.length; i++) {
    p[i] = all[i].pModel;
    y[i] = all[i].outcome as number;
  }
  const hp = new Float64Array(h2h.length);
  const hm = new Float64Array(h2h.length);
  const hy = new Float64Array(h2h.length);
  for (let i = 0; i < h2h.length; i++) {
    hp[i] = h2h[i].pModel;
    hm[i] = h2h[i].pMarket as number;
    hy[i] = h2h[i].outcome as number;
  }

  // Brier score and log loss in one pass (the numbers of brierScore and logLoss).
  const scores = (probs: Float64Array, outcomes: Float64Array): PairScores => {
    if (probs.length === 0) return { n: 0, brier: Number.NaN, logLoss: Number.NaN };
    const b = binaryScores(probs, outcomes);
    return { n: probs.length, brier: b.brier, logLoss: b.logLoss };
  };
  const hModel = scores(hp, hy);
  const hMarket = scores(hm, hy);

  // Event-level RPS where both PMFs and the outcome exist.
  const rpsModel = new NeumaierAccumulator();
  const rpsMarket = new NeumaierAccumulator();
  for (const ef of r.eventForecasts) {
    const bin = r.eventOutcomes.get(ef.event);
    if (bin === undefined || ef.pmfMarket === null) continue;
    rpsModel.add(rankedProbabilityScore(ef.pmfModel, bin));
    rpsMarket.add(rankedProbabilityScore(ef.pmfMarket, bin));
  }
  const nRps = rpsModel.count;
  const rpsM = nRps === 0 ? Number.NaN : rpsModel.value / nRps;
  const rpsK = nRps === 0 ? Number.NaN : rpsMarket.value / nRps;

  return {
    forecastsScored: all.length,
    model: scores(p, y),
    headToHead: {
      model: hModel,
      market: hMarket,
      brierSkill: skill(hModel.brier, hMarket.brier),
      logLossSkill: skill(hModel.logLoss, hMarket.logLoss),
    },
    rps: { n: nRps, model: rpsM, market: rpsK, skill: skill(rpsM, rpsK) },
    reliability: {
      model: hp.length > 0 ? reliabilityBins(hp, hy) : [],
      market: hm.length > 0 ? reliabilityBins(hm, hy) : [],
    },
    byHorizon: scoresByHorizon(h2h, (m) => r.marketCloseTs.get(m)),
    brierOverTime: brierByHour(h2h),
    trading: tradingStats(r, eventOf),
  };
}

function brierByHour(
  pairs: readonly { ts: number; pModel: number; pMarket: number | null; outcome: 0 | 1 | null }[],
): { ts: number[]; model: number[]; market: number[] } {
  const buckets = new Map<number, { m: NeumaierAccumulator; k: NeumaierAccumulator }>();
  // Pairs come in time order: most fall in the bucket of the pair before, and
  // a lookup by hour (a key beyond the small-integer range) costs a hash.
  let lastHour = Number.NaN;
  let b: { m: NeumaierAccumulator; k: NeumaierAccumulator } | undefined;
  // An indexed loop: for-of allocates an iterator result per pair until V8
  // optimizes this function, which it runs once per replay.
  for (let i = 0; i < pairs.length; i++) {
    const f = pairs[i];
    const hour = Math.floor(f.ts / HOUR_MS) * HOUR_MS;
    if (hour !== lastHour) {
      b = buckets.get(hour);
      if (b === undefined) {
        b = { m: new NeumaierAccumulator(), k: new NeumaierAccumulator() };
        buckets.set(hour, b);
      }
      lastHour = hour;
    }
    const o = f.outcome as number;
    b!.m.add((f.pModel - o) ** 2);
    b!.k.add(((f.pMarket as number) - o) ** 2);
  }
  const hours = [...buckets.keys()].sort((a, b) => a - b);
  return {
    ts: hours,
    model: hours.map((h) => buckets.get(h)!.m.value / buckets.get(h)!.m.count),
    market: hours.map((h) => buckets.get(h)!.k.value / buckets.get(h)!.k.count),
  };
}

function tradingStats(
  r: ReplayResult,
  eventOf: (market: string) => string,
): ScoreSummary["trading"] {
  let contracts = 0;
  for (const f of r.fills) contracts += f.count;
  let notional = 0;
  for (const m of r.portfolio.markets()) notional += r.portfolio.account(m).notional;
  // Realized PnL: each market's cash once it settled, booked at its settlement time.
  const perEvent = new Map<string, number>();
  const curveTs: number[] = [];
  const curve: number[] = [];
  let cumulative = 0;
  for (const s of r.settlements) {
    if (r.portfolio.account(s.market).notional === 0) continue; // never traded
    cumulative += s.pnlTicks;
    curveTs.push(s.ts);
    curve.push(cumulative);
    const ev = eventOf(s.market);
    perEvent.set(ev, (perEvent.get(ev) ?? 0) + s.pnlTicks);
  }
  const eventPnls = [...perEvent.values()];
  const dd = curve.length > 0 ? maxDrawdown(curve).maxDrawdown : 0;
  return {
    orders: r.orders.length,
    fills: r.fills.length,
    contractsCenti: contracts,
    notionalTicks: notional,
    feesTicks: r.portfolio.totalFees(),
    pnlTicks: r.portfolio.totalCash(),
    perEventSharpe: eventPnls.length >= 2 ? sharpeRatio(eventPnls) : Number.NaN,
    maxDrawdownTicks: dd,
    eventHitRate: eventPnls.length > 0 ? hitRate(eventPnls) : Number.NaN,
    pnlCurve: { ts: curveTs, cumulativeTicks: curve },
    perEvent: [...perEvent.entries()].map(([event, pnlTicks]) => ({ event, pnlTicks })),
  };
}

/** The scores as metric rows for the results database; undefined (NaN) scores are left out. */
export function metricRows(s: ScoreSummary): MetricRow[] {
  const rows: [string, number][] = [
    ["forecasts_scored", s.forecastsScored],
    ["brier_model_all", s.model.brier],
    ["log_loss_model_all", s.model.logLoss],
    ["h2h_pairs", s.headToHead.model.n],
    ["brier_model", s.headToHead.model.brier],
    ["brier_market", s.headToHead.market.brier],
    ["brier_skill", s.headToHead.brierSkill],
    ["log_loss_model", s.headToHead.model.logLoss],
    ["log_loss_market", s.headToHead.market.logLoss],
    ["log_loss_skill", s.headToHead.logLossSkill],
    ["rps_events", s.rps.n],
    ["rps_model", s.rps.model],
    ["rps_market", s.rps.market],
    ["rps_skill", s.rps.skill],
    ["orders", s.trading.orders],
    ["fills", s.trading.fills],
    ["contracts_centi", s.trading.contractsCenti],
    ["notional_ticks", s.trading.notionalTicks],
    ["fees_ticks", s.trading.feesTicks],
    ["pnl_ticks", s.trading.pnlTicks],
    ["per_event_sharpe", s.trading.perEventSharpe],
    ["max_drawdown_ticks", s.trading.maxDrawdownTicks],
    ["event_hit_rate", s.trading.eventHitRate],
  ];
  for (const h of s.byHorizon) {
    rows.push(
      [`horizon_${h.label}_pairs`, h.n],
      [`horizon_${h.label}_brier_model`, h.modelBrier],
      [`horizon_${h.label}_brier_market`, h.marketBrier],
      [`horizon_${h.label}_log_loss_model`, h.modelLogLoss],
      [`horizon_${h.label}_log_loss_market`, h.marketLogLoss],
    );
  }
  return rows.filter(([, v]) => Number.isFinite(v)).map(([name, value]) => ({ name, value }));
}
