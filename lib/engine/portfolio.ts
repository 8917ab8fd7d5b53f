/**
 * Positions, cash and fees per market, in integers: positions in centi-contracts
 * (YES-equivalent: long YES > 0, long NO < 0), money in ticks of $0.0001.
 *
 * Kalshi nets YES against NO in one market: a pair of one YES and one NO is worth
 * $1 and is paid out at once. Settlement pays $1 per winning contract and
 * nothing else; there is no fee at settlement.
 *
 * Notional of a fill is count x price / 100 ticks (centi-contracts x ticks); for
 * fractional contracts at sub-penny prices that can fall below one tick, and it
 * is rounded up against the trader (documented in README "Units").
 *
 * @module
 */

import type { Side } from "../tape/events.ts";

/** Per-market account. */
export interface MarketAccount {
  /** Net YES-equivalent position (centi-contracts). */
  position: number;
  /** Cash flows so far (ticks): notional paid, fees paid, netting and settlement payouts. */
  cash: number;
  /** Fees paid (ticks, positive). */
  fees: number;
  /** Notional paid for fills (ticks, positive). */
  notional: number;
  /** Payouts from YES/NO netting (ticks). */
  nettingPayout: number;
  /** Payout at settlement (ticks). */
  settlementPayout: number;
  /** Contracts bought, by side (centi). */
  boughtYes: number;
  boughtNo: number;
  /** Whether the market settled. */
  settled: boolean;
}

/** Cents per contract pair: $1 = 10000 ticks, per centi-contract 100 ticks. */
const PAYOUT_PER_CENTI = 100;

/** The run's accounts. */
export class Portfolio {
  readonly #accounts = new Map<string, MarketAccount>();

  /** The account of a market (created empty on first use). */
  account(market: string): MarketAccount {
    let a = this.#accounts.get(market);
    if (a === undefined) {
      a = {
        position: 0,
        cash: 0,
        fees: 0,
        notional: 0,
        nettingPayout: 0,
        settlementPayout: -1,
        boughtYes: 0,
        boughtNo: 0,
        settled: true,
      };
      // The fields settlement writes are made with a placeholder and set to
      // their start values here: V8 treats a field written only when its
      // object was made as a constant, and the first settlement (at the end of
      // a replay) then threw away the fill code optimized during it, which the
      // next replay ran unoptimized until V8 compiled it again.
      a.settled = false;
      a.settlementPayout = 0;
      this.#accounts.set(market, a);
    }
    return a;
  }

  /** Net position of a market (centi-contracts, YES-equivalent). */
  position(market: string): number {
    return this.#accounts.get(market)?.position ?? 0;
  }

  /** Markets with an account, in first-trade order. */
  markets(): string[] {
    return [...this.#accounts.keys()];
  }

  /** Apply a fill: buy `count` of `side` at `price` ticks paying `feeTicks`. */
  applyFill(market: string, side: Side, price: number, count: number, feeTicks: number): void {
    const a = this.account(market);
    if (a.settled) {
      throw new RangeError(`Cannot fill ${market}: the market already settled`);
    }
    const notional = Math.ceil((count * price) / 100);
    a.notional += notional;
    a.fees += feeTicks;
    a.cash -= notional + feeTicks;
    if (side === "yes") {
      a.boughtYes += count;
      if (a.position < 0) {
        const netted = Math.min(count, -a.position);
        a.nettingPayout += netted * PAYOUT_PER_CENTI;
        a.cash += netted * PAYOUT_PER_CENTI;
      }
      a.position += count;
    } else {
      a.boughtNo += count;
      if (a.position > 0) {
        const netted = Math.min(count, a.position);
        a.nettingPayout += netted * PAYOUT_PER_CENTI;
        a.cash += netted * PAYOUT_PER_CENTI;
      }
      a.position -= count;
    }
  }

  /** Settle a market; returns the payout (ticks) and the position it resolved. */
  settle(market: string, result: Side): { position: number; payout: number } {
    const a = this.account(market);
    if (a.settled) throw new RangeError(`Cannot settle ${market}: it already settled`);
    const position = a.position;
    let payout = 0;
    if (result === "yes" && position > 0) payout = position * PAYOUT_PER_CENTI;
    if (result === "no" && position < 0) payout = -position * PAYOUT_PER_CENTI;
    a.settlementPayout += payout;
    a.cash += payout;
    a.position = 0;
    a.settled = true;
    return { position, payout };
  }

  /** Sum of cash over all markets (ticks). */
  totalCash(): number {
    let s = 0;
    for (const a of this.#accounts.values()) s += a.cash;
    return s;
  }

  /** Sum of fees over all markets (ticks). */
  totalFees(): number {
    let s = 0;
    for (const a of this.#accounts.values()) s += a.fees;
    return s;
  }
}
