/**
 * The Avellaneda-Stoikov market maker (strategies/market_maker) through the real
 * replay venue on the SYNTHETIC L2 test tape (strategies/market_maker/test_tape.ts:
 * a market around 50c, one drifting below 5c, one drifting above 95c, books of 3
 * levels with deltas, trades on both sides): it quotes both sides in the normal
 * band, one side in the hard-extreme bands, stays within its position limit,
 * fills only as a maker, conserves contracts, and its PnL attribution reconciles
 * to the tick with the venue's settlements and portfolio.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { OrderIntent, Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import { arrayBlockSource } from "../lib/tape/block.ts";
import { MarketMakerStrategy } from "../strategies/market_maker/strategy.ts";
import { generateMakerTestTape } from "../strategies/market_maker/test_tape.ts";
import { attributePnl } from "../lib/venue/pnl_attribution.ts";
import { fillRealism } from "../lib/venue/fill_realism.ts";
import { runInTemp } from "./helpers.ts";

/** A small limit and a weak skew, so the limit binds on this tape. */
const LIMIT_CONTRACTS = 4;

/** What the market maker sent, with the market as it saw it. */
interface Sent {
  readonly id: number;
  readonly ts: number;
  readonly intent: OrderIntent;
  readonly mid: number;
  readonly position: number;
}

/** Passes everything through to the market maker and records its orders. */
class Recorder implements Strategy {
  readonly name: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly sent: Sent[] = [];
  constructor(readonly inner: MarketMakerStrategy) {
    this.name = inner.name;
    this.params = inner.params;
  }
  #wrap(ctx: StrategyContext): StrategyContext {
    const sent = this.sent;
    return new Proxy(ctx, {
      get(target, prop) {
        if (prop === "submit") {
          return (intent: OrderIntent) => {
            const b = target.book(intent.market)!;
            const mid = (b.bestYesBid + b.bestYesAsk) / 2;
            const position = target.position(intent.market);
            const id = target.submit(intent);
            sent.push({ id, ts: target.now, intent, mid, position });
            return id;
          };
        }
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }
  onEvent(ev: Parameters<Strategy["onEvent"]>[0], ctx: StrategyContext): void {
    this.inner.onEvent(ev, this.#wrap(ctx));
  }
  onFill(fill: Parameters<NonNullable<Strategy["onFill"]>>[0], ctx: StrategyContext): void {
    this.inner.onFill(fill, this.#wrap(ctx));
  }
  onOrderDone(
    order: Parameters<NonNullable<Strategy["onOrderDone"]>>[0],
    ctx: StrategyContext,
  ): void {
    this.inner.onOrderDone(order, this.#wrap(ctx));
  }
}

async function run(seed: number) {
  const tape = generateMakerTestTape({ seed });
  const mm = new MarketMakerStrategy({
    k: 100,
    gamma: 0.3,
    quoteContracts: 3,
    maxPositionContracts: LIMIT_CONTRACTS,
  });
  const rec = new Recorder(mm);
  const out = await runInTemp(rec, [arrayBlockSource(`mm_test_seed${seed}`, tape)], { seed });
  return { out, mm, sent: rec.sent, tape };
}

const runs = new Map<number, Awaited<ReturnType<typeof run>>>();
async function cached(seed: number) {
  let r = runs.get(seed);
  if (r === undefined) {
    r = await run(seed);
    runs.set(seed, r);
  }
  return r;
}

const SEEDS = [11, 14];

Deno.test("market maker e2e: both sides in the normal band, only post-only orders", async () => {
  for (const seed of SEEDS) {
    const { sent, out } = await cached(seed);
    assert.ok(sent.length > 50, `seed ${seed}: ${sent.length} orders`);
    for (const s of sent) assert.equal(s.intent.timeInForce, "post_only");
    assert.equal(out.result.decisions.length, sent.length, "the venue recorded every order");
    // Decision instants (market, time) in the normal band with a flat-enough book: both sides.
    const instants = new Map<string, Set<string>>();
    for (const s of sent) {
      if (s.mid < 1500 || s.mid > 8500) continue;
      const k = `${s.intent.market}@${s.ts}`;
      const set = instants.get(k) ?? new Set<string>();
      set.add(s.intent.side);
      instants.set(k, set);
    }
    const twoSided = [...instants.values()].filter((x) => x.size === 2).length;
    assert.ok(twoSided >= 10, `seed ${seed}: ${twoSided} two-sided quote instants`);
    const normal = sent.filter((s) => s.mid >= 1500 && s.mid <= 8500);
    assert.ok(
      normal.some((s) => s.intent.side === "yes") && normal.some((s) => s.intent.side === "no"),
    );
  }
});

Deno.test("market maker e2e: one-sided in the hard-extreme bands", async () => {
  for (const seed of SEEDS) {
    const { sent } = await cached(seed);
    const hard = sent.filter((s) => s.mid < 500 || s.mid > 9500);
    assert.ok(hard.length >= 5, `seed ${seed}: ${hard.length} orders in the hard bands`);
    let cheap = 0;
    for (const s of hard) {
      const low = s.mid < 500;
      const cheapSide = low ? "yes" : "no";
      if (s.intent.side === cheapSide) {
        cheap++;
        continue;
      }
      // The expensive side only reduces inventory, by at most its size.
      const reduces = low ? s.position : -s.position;
      assert.ok(
        reduces > 0 && s.intent.count <= reduces,
        `seed ${seed}: ${s.intent.side} x${s.intent.count} at mid ${s.mid} with position ${s.position}`,
      );
    }
    assert.ok(cheap > 0);
    // With no inventory, a hard-band instant has only the cheap side.
    for (const s of hard.filter((x) => x.position === 0)) {
      assert.equal(s.intent.side, s.mid < 500 ? "yes" : "no");
    }
  }
});

Deno.test("market maker e2e: within the position limit, maker fills only, contracts conserved", async () => {
  for (const seed of SEEDS) {
    const { out, sent } = await cached(seed);
    const r = out.result;
    assert.ok(r.fills.length >= 20, `seed ${seed}: ${r.fills.length} fills`);
    const ids = new Set(sent.map((s) => s.id));
    const pos = new Map<string, number>();
    const limit = LIMIT_CONTRACTS * 100;
    for (const f of r.fills) {
      assert.equal(f.role, "maker", "post-only orders never take");
      assert.ok(ids.has(f.orderId));
      const p = (pos.get(f.market) ?? 0) + (f.side === "yes" ? f.count : -f.count);
      assert.ok(Math.abs(p) <= limit, `seed ${seed}: ${f.market} at ${p}`);
      pos.set(f.market, p);
    }
    assert.equal(r.settlements.length, 3);
    assert.deepEqual(r.unsettledPositions, []);
    for (const s of r.settlements) {
      // Contracts bought (YES minus NO) = the net position settled.
      assert.equal(s.position, pos.get(s.market) ?? 0, `seed ${seed}: ${s.market}`);
      const a = r.portfolio.account(s.market);
      const yes = r.fills.filter((f) => f.market === s.market && f.side === "yes");
      const no = r.fills.filter((f) => f.market === s.market && f.side === "no");
      assert.equal(a.boughtYes, yes.reduce((t, f) => t + f.count, 0));
      assert.equal(a.boughtNo, no.reduce((t, f) => t + f.count, 0));
      assert.equal(a.boughtYes - a.boughtNo, s.position);
    }
    // Not vacuous: some market gets within a contract of the limit.
    const reached = Math.max(
      ...[...pos.values()].map(Math.abs),
      ...sent.map((s) => Math.abs(s.position)),
    );
    assert.ok(reached >= limit - 100, `seed ${seed}: max |position| ${reached}`);
  }
});

Deno.test("market maker e2e: PnL attribution reconciles to the tick", async () => {
  for (const seed of SEEDS) {
    const { out, mm } = await cached(seed);
    const r = out.result;
    assert.equal(r.fillObservations.length, r.fills.length);
    // The venue's mid at each fill is the one the strategy saw.
    r.fillObservations.forEach((o, i) => {
      assert.equal(o.fillIndex, i);
      assert.equal(o.midAtFill, mm.fillLog[i].midAtFill);
    });
    const a = attributePnl({
      fills: r.fills,
      settlements: r.settlements,
      observations: r.fillObservations,
    });
    for (const m of a.markets) {
      assert.equal(m.spreadTicks + m.inventoryTicks - m.feesTicks, m.totalTicks);
      const s = r.settlements.find((x) => x.market === m.market)!;
      assert.equal(m.totalTicks, s.pnlTicks, `${m.market}: attribution = settlement PnL`);
      assert.equal(m.feesTicks, r.portfolio.account(m.market).fees);
    }
    const t = a.total;
    assert.equal(t.spreadTicks + t.inventoryTicks - t.feesTicks, t.totalTicks);
    assert.equal(t.totalTicks, r.portfolio.totalCash());
    assert.equal(t.totalTicks, out.scores.trading.pnlTicks);
    assert.ok(t.feesTicks > 0, "maker fees are charged on this series");
    assert.ok(t.spreadTicks > 0, "quotes away from the mid capture spread");
    for (const inv of a.inventory) {
      assert.ok(inv.maxAbsPosition <= LIMIT_CONTRACTS * 100);
      assert.equal(inv.position.at(-1), 0, "flat after settlement");
    }
  }
});

Deno.test("market maker e2e: fill realism runs on the venue's records; runs are reproducible", async () => {
  const { out } = await cached(SEEDS[0]);
  const r = out.result;
  const fr = fillRealism({
    decisions: r.decisions,
    fills: r.fills,
    observations: r.fillObservations,
    orders: r.orders,
  });
  assert.equal(
    fr.maker.orders + fr.maker.buckets.reduce((t, b) => t + b.rejected, 0) +
      fr.maker.noTouch,
    r.decisions.length,
  );
  const withAssumption = fr.maker.buckets.reduce((t, b) => t + b.withAssumption, 0);
  assert.equal(withAssumption, fr.maker.orders, "the market maker states its fill probability");
  const [maker, taker] = fr.slippage;
  assert.equal(maker.fills, r.fills.length);
  assert.equal(maker.avgSlippageTicks, 0, "maker fills at the limit");
  assert.equal(taker.fills, 0);
  const again = await run(SEEDS[0]);
  assert.equal(again.out.digest, out.digest);
});
