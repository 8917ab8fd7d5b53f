/**
 * The plain-text summary `deno task backtest` prints at the end of a run.
 *
 * @module
 */

import type { RunOutcome } from "../lib/venue/run.ts";
import { formatMoney } from "../lib/units/price.ts";

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "n/a");
const pct = (
  x: number,
) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%` : "n/a");
const int = (n: number) => n.toLocaleString("en-US");
const usd = (t: number) => `$${formatMoney(t)}`;

/** Render the run summary. */
export function formatSummary(o: RunOutcome, dbPath: string): string {
  const d = o.reportData;
  const s = o.scores;
  const h = s.headToHead;
  const t = s.trading;
  const lines: string[] = [];
  if (d.synthetic) {
    lines.push(`SYNTHETIC DATA (generated from seed ${d.seed}; not real market data)`);
  }
  lines.push(
    `run ${o.runId} complete: strategy ${d.strategy}, seed ${d.seed}, digest ${
      o.digest.slice(0, 16)
    }`,
  );
  lines.push(`tapes: ${d.tapes.join(", ")}`);
  lines.push(
    `events replayed: ${int(o.result.eventsProcessed)}; anomalies: ${int(o.result.anomalyCount)}`,
  );
  lines.push(
    `forecasts scored: ${int(s.forecastsScored)} market pairs (${
      int(h.model.n)
    } head to head with a market price), ${int(s.rps.n)} event PMFs`,
  );
  lines.push("");
  lines.push("             model     market    skill over market");
  lines.push(`Brier        ${f4(h.model.brier)}    ${f4(h.market.brier)}    ${pct(h.brierSkill)}`);
  lines.push(
    `Log loss     ${f4(h.model.logLoss)}    ${f4(h.market.logLoss)}    ${pct(h.logLossSkill)}`,
  );
  lines.push(`RPS          ${f4(s.rps.model)}    ${f4(s.rps.market)}    ${pct(s.rps.skill)}`);
  const hz = s.byHorizon.filter((b) => b.n > 0);
  if (hz.length > 0) {
    lines.push("");
    lines.push("by time to close   pairs   Brier model  market   log loss model  market");
    for (const b of hz) {
      lines.push(
        `  ${b.label.padEnd(14)} ${int(b.n).padStart(7)}   ${f4(b.modelBrier)}       ${
          f4(b.marketBrier)
        }   ${f4(b.modelLogLoss)}          ${f4(b.marketLogLoss)}`,
      );
    }
  }
  lines.push("");
  lines.push(
    `trading: ${int(t.orders)} orders, ${int(t.fills)} fills, ${
      (t.contractsCenti / 100).toFixed(2)
    } contracts, notional ${usd(t.notionalTicks)}, fees ${usd(t.feesTicks)}`,
  );
  lines.push(`PnL after fees: ${usd(t.pnlTicks)}; max drawdown ${usd(t.maxDrawdownTicks)}`);
  if (o.result.unsettledPositions.length > 0) {
    lines.push(
      `warning: ${o.result.unsettledPositions.length} market(s) hold positions that never settled on the tape`,
    );
  }
  lines.push("");
  lines.push(`database: ${dbPath} (run ${o.runId})`);
  if (o.markdownPath) lines.push(`report:   ${o.markdownPath}`);
  if (o.htmlPath) lines.push(`report:   ${o.htmlPath} (opens offline)`);
  return lines.join("\n");
}
