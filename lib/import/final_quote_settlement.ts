/**
 * Settlement inferred from a ladder's final quotes, for recorder logs that carry
 * no result column (opt-in: `--extra settle_from_final=<cents>`).
 *
 * Rule, per event: take each market's last row that shows a price (a YES bid or a
 * YES ask); the event settles when exactly one market's last YES bid is at least
 * the threshold T (its YES is priced as decided) and every other market's last YES
 * ask is at most 100 - T cents (its NO is priced as decided). Every market of the
 * event then gets a settlement event at the event's last row time. Anything else
 * leaves the event unsettled and counts an anomaly `settlement_ambiguous` naming
 * why. Inferred results are counted as `settlement_inferred`: they are the
 * market's own final verdict, not an exchange record, and say so in the report.
 *
 * @module
 */

import type { SettlementEvent } from "../tape/events.ts";
import type { ReportBuilder } from "./report.ts";
import { ImportOptionError } from "./option_error.ts";
import type { ImportOptions } from "./types.ts";

const ONE_DOLLAR = 10_000;

/** Option `settle_from_final`: the threshold in ticks, or undefined when not asked. */
export function settleFromFinalOption(options: ImportOptions): number | undefined {
  const s = options.extra?.settle_from_final;
  if (s === undefined) return undefined;
  if (!/^\d{2}$/.test(s) || Number(s) < 51) {
    throw new ImportOptionError(
      "settle_from_final",
      `Cannot infer settlements: the threshold must be whole cents from 51 to 99, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return Number(s) * 100;
}

/** The last priced row of one market. */
export interface FinalQuote {
  readonly ts: number;
  /** Best YES bid, ticks (0 = none). */
  readonly yesBid: number;
  /** Best YES ask, ticks (10000 = none). */
  readonly yesAsk: number;
}

/**
 * Settlements inferred for each event by the module's rule.
 *
 * @param eventMarkets Markets of each event (ladder order not needed).
 * @param finals Each market's last priced row (absent when it never showed a price).
 * @param lastTs Each event's last row time (the settlements' time).
 * @param threshold T in ticks (5100..9900).
 */
export function inferSettlements(
  eventMarkets: ReadonlyMap<string, readonly string[]>,
  finals: ReadonlyMap<string, FinalQuote>,
  lastTs: ReadonlyMap<string, number>,
  threshold: number,
  report: ReportBuilder,
): SettlementEvent[] {
  const out: SettlementEvent[] = [];
  for (const event of [...eventMarkets.keys()].sort()) {
    const markets = [...eventMarkets.get(event)!].sort();
    const winners: string[] = [];
    const undecided: string[] = [];
    for (const m of markets) {
      const f = finals.get(m);
      if (f !== undefined && f.yesBid >= threshold) winners.push(m);
      else if (f === undefined || f.yesAsk > ONE_DOLLAR - threshold) undecided.push(m);
    }
    if (winners.length !== 1 || undecided.length > 0) {
      const why = winners.length === 0
        ? "no market's final YES bid reaches the threshold"
        : winners.length > 1
        ? `${winners.length} markets end priced as YES (${winners.join(", ")})`
        : `final prices leave ${undecided.join(", ")} undecided`;
      report.anomaly("settlement_ambiguous", `${event}: not settled: ${why}`);
      continue;
    }
    const ts = lastTs.get(event)!;
    for (const m of markets) {
      out.push({ kind: "settlement", ts, market: m, result: m === winners[0] ? "yes" : "no" });
    }
    report.anomaly(
      "settlement_inferred",
      `${event}: ${winners[0]} settled YES from final prices (inferred, not an exchange record)`,
    );
  }
  return out;
}
