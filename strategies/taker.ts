/**
 * The fee-aware taker every ladder strategy shares: for each open market of a
 * ladder with a valid book, the expected value per contract of buying YES at the
 * best YES ask and of buying NO at 10000 - best YES bid, after the taker fee that
 * order would pay; when the better of the two clears the edge, an IOC order at
 * that touch for the size at the touch, capped by the net position limit, in
 * whole contracts.
 *
 * This is the trading rule of the BTC strategy (strategies/btc/strategy.ts),
 * factored out so the point-forecast families use the same code.
 *
 * @example
 * ```ts
 * import { takeFeeAwareEdges } from "./taker.ts";
 * // inside Strategy.onEvent, after computing the PMF and market probabilities:
 * // takeFeeAwareEdges(ctx, ladder, probs, fee, { edgeTicks: 300, maxContracts: 10 });
 * ```
 *
 * @module
 */

import type { OrderIntent, StrategyContext } from "../lib/engine/strategy.ts";
import type { Ladder } from "../lib/market/ladder.ts";
import type { FeeParams } from "../lib/fees/fees.ts";
import type { Side } from "../lib/tape/events.ts";
import { evPerContract } from "../lib/pricing/ev.ts";

/** The taker's limits. */
export interface TakerConfig {
  /** Minimum fee-aware EV per contract to trade, in ticks (300 = 3 cents). */
  readonly edgeTicks: number;
  /** Net position limit per market, whole contracts, on either side. */
  readonly maxContracts: number;
}

const ONE_DOLLAR = 10_000;
const CENTI = 100;

/**
 * Whether any of `markets` is open now: with none open the taker has nothing to
 * do, so a strategy can skip pricing the ladder.
 */
export function anyMarketOpen(ctx: StrategyContext, markets: readonly string[]): boolean {
  for (let i = 0; i < markets.length; i++) if (ctx.isOpen(markets[i])) return true;
  return false;
}

/** Floor a centi-contract amount to whole contracts (still in centi-contracts); 0 if negative. */
export function wholeContracts(centi: number): number {
  return centi > 0 ? Math.floor(centi / CENTI) * CENTI : 0;
}

/**
 * Send the orders of the fee-aware taker rule (see the module docs) for the
 * markets of `ladder`, whose fair YES probabilities are `probs` (ladder market
 * order). Position limit on the net position: after a YES buy position <=
 * maxContracts, after a NO buy position >= -maxContracts (centi-contracts, long
 * YES > 0). The order's reason is `ev=<ticks>ticks p=<prob>`. Returns the
 * number of orders sent.
 *
 * @throws {RangeError} when `probs` does not have one entry per market.
 */
export function takeFeeAwareEdges(
  ctx: StrategyContext,
  ladder: Ladder,
  probs: ArrayLike<number>,
  fee: FeeParams,
  cfg: TakerConfig,
): number {
  const markets = ladder.markets;
  if (probs.length !== markets.length) {
    throw new RangeError(
      `Cannot take edges on ${ladder.event}: probs must have one entry per market (${markets.length}), current value is ${probs.length}`,
    );
  }
  const maxCenti = cfg.maxContracts * CENTI;
  let sent = 0;
  for (let i = 0; i < markets.length; i++) {
    const m = markets[i];
    if (!ctx.isOpen(m)) continue;
    const book = ctx.book(m);
    if (book === undefined || !book.valid) continue;
    const q = probs[i];
    const p = q < 0 ? 0 : q > 1 ? 1 : q; // guard rounding past [0, 1]
    const pos = ctx.position(m);

    let bestEv = -Infinity;
    let bestSide: Side = "yes";
    let bestPrice = 0;
    let bestCount = 0;

    const ask = book.bestYesAsk;
    if (ask > 0 && ask < ONE_DOLLAR) {
      const count = wholeContracts(Math.min(maxCenti - pos, book.bestYesAskSize));
      if (count > 0) {
        const ev = evPerContract(p, "yes", ask, count, fee, "taker");
        if (ev > bestEv) {
          bestEv = ev;
          bestSide = "yes";
          bestPrice = ask;
          bestCount = count;
        }
      }
    }
    const bid = book.bestYesBid;
    if (bid > 0 && bid < ONE_DOLLAR) {
      const noPrice = ONE_DOLLAR - bid;
      const count = wholeContracts(Math.min(maxCenti + pos, book.bestYesBidSize));
      if (count > 0) {
        const ev = evPerContract(p, "no", noPrice, count, fee, "taker");
        if (ev > bestEv) {
          bestEv = ev;
          bestSide = "no";
          bestPrice = noPrice;
          bestCount = count;
        }
      }
    }
    if (bestCount > 0 && bestEv >= cfg.edgeTicks) {
      const order: OrderIntent = {
        market: m,
        side: bestSide,
        limitPrice: bestPrice,
        count: bestCount,
        timeInForce: "ioc",
        reason: `ev=${bestEv.toFixed(1)}ticks p=${p.toFixed(4)}`,
      };
      ctx.submit(order);
      sent++;
    }
  }
  return sent;
}
