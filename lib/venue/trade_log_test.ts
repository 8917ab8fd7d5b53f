import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import { RECENT_TRADES, RECENT_WINDOW_MS, type RecentTrades, TradeLog } from "./trade_log.ts";

const trade = (ts: number, price: number, count: number) => ({ ts, price, count });

Deno.test("TradeLog: volume and volatility of a market's trades of the last 30 minutes", () => {
  const log = new TradeLog();
  assert.equal(log.recent(0, 0).volume, 0);
  assert.ok(Number.isNaN(log.recent(0, 0).volatility));
  log.addTrade(0, trade(0, 5000, 100));
  log.addTrade(1, trade(30_000, 7000, 999)); // another market: not counted
  log.addTrade(0, trade(60_000, 5100, 100));
  log.addTrade(0, trade(120_000, 4900, 300));
  const r = log.recent(0, 120_000);
  assert.equal(r.volume, 500);
  assert.equal(r.volatility, Math.sqrt((100 * 100 + 200 * 200) / 2));
  // 30 minutes after the first trade it has left the window (the window is closed at 30 min).
  assert.equal(log.recent(0, 30 * 60_000 + 1).volume, 400);
  assert.equal(log.recent(0, 30 * 60_000 + 1).volatility, 200);
  assert.equal(log.recent(1, 60_000).volume, 999);
  assert.ok(Number.isNaN(log.recent(1, 60_000).volatility), "one trade: no move");
  assert.equal(log.recent(7, 60_000).volume, 0, "a market with no trades");
  // Only the latest 256 trades count.
  const many = new TradeLog();
  for (let i = 0; i < 300; i++) many.addTrade(3, trade(1000 + i, 5000, 100));
  assert.equal(many.recent(3, 2000).volume, RECENT_TRADES * 100);
});

/**
 * The reference: the earlier layout, a ring of each market's latest 256 trades
 * read back from the newest (the decision records' definition).
 */
class RingReference {
  readonly #rings = new Map<number, number[][]>();

  add(market: number, ts: number, price: number, count: number): void {
    let r = this.#rings.get(market);
    if (r === undefined) this.#rings.set(market, r = []);
    r.push([ts, price, count]);
    if (r.length > RECENT_TRADES) r.shift();
  }

  recent(market: number, ts: number): RecentTrades {
    const r = this.#rings.get(market) ?? [];
    let volume = 0;
    let sq = 0;
    let moves = 0;
    let next = Number.NaN;
    for (let k = r.length - 1; k >= 0; k--) {
      const [t, p, c] = r[k];
      if (t > ts || ts - t > RECENT_WINDOW_MS) break;
      volume += c;
      if (!Number.isNaN(next)) {
        sq += (next - p) * (next - p);
        moves++;
      }
      next = p;
    }
    return { volume, volatility: moves === 0 ? Number.NaN : Math.sqrt(sq / moves) };
  }
}

Deno.test("TradeLog: equals a ring of each market's latest trades over random tapes, as the log grows and drops old trades", () => {
  for (const seed of [1, 2, 3]) {
    const rng = new Prng(seed);
    const log = new TradeLog();
    const ref = new RingReference();
    const markets = 1 + rng.int(40);
    let ts = 1_000_000;
    let checks = 0;
    for (let i = 0; i < 60_000; i++) {
      // Bursts (many trades a millisecond apart) and gaps (up to an hour).
      const u = rng.next();
      ts += u < 0.99 ? rng.int(3) : u < 0.999 ? rng.int(60_000) : rng.int(3_600_000);
      const m = rng.int(markets);
      const price = 1 + rng.int(9999);
      const count = 1 + rng.int(5000);
      log.addTrade(m, trade(ts, price, count));
      ref.add(m, ts, price, count);
      if (rng.next() < 0.02) {
        // Queries come at or after the latest trade (the venue's clock never goes back).
        const at = ts + (rng.next() < 0.5 ? 0 : rng.int(2 * RECENT_WINDOW_MS));
        const q = rng.int(markets);
        const got = log.recent(q, at);
        const want = ref.recent(q, at);
        assert.equal(got.volume, want.volume, `seed ${seed} trade ${i} market ${q}: volume`);
        assert.ok(
          Object.is(got.volatility, want.volatility),
          `seed ${seed} trade ${i} market ${q}: volatility ${got.volatility} vs ${want.volatility}`,
        );
        checks++;
      }
    }
    assert.ok(checks > 1000, `${checks} queries`);
    assert.ok(log.capacity > 4096, `the log grew (capacity ${log.capacity})`);
    assert.ok(log.capacity < log.size, "and dropped trades out of every window");
  }
});

Deno.test("TradeLog: a released buffer serves the next log, which reads none of the old records", () => {
  const first = new TradeLog();
  for (let i = 0; i < 10_000; i++) first.addTrade(i % 7, trade(1000 + i, 5000 + (i % 13), 100));
  const grown = first.capacity;
  assert.ok(grown > 4096);
  first.release();
  assert.equal(first.size, 0);
  assert.equal(first.recent(0, 20_000).volume, 0, "the released log is empty");
  first.addTrade(0, trade(30_000, 5000, 5)); // and still works
  assert.equal(first.recent(0, 30_000).volume, 5);

  const next = new TradeLog();
  assert.equal(next.capacity, grown, "the next log took the released buffer");
  assert.equal(next.size, 0);
  for (let m = 0; m < 7; m++) assert.equal(next.recent(m, 20_000).volume, 0, `market ${m}`);
  next.addTrade(3, trade(50_000, 4000, 10));
  next.addTrade(3, trade(50_001, 4100, 20));
  const r = next.recent(3, 50_001);
  assert.equal(r.volume, 30);
  assert.equal(r.volatility, 100);
  assert.equal(next.recent(2, 50_001).volume, 0);
  assert.equal(new TradeLog().capacity, 4096, "one buffer is kept, not shared");
});

Deno.test("TradeLog: reserve makes room for market numbers ahead and changes no query", () => {
  const plain = new TradeLog();
  const reserved = new TradeLog();
  reserved.reserve(0); // no room asked: nothing changes
  reserved.reserve(40);
  reserved.reserve(3); // smaller than the room already there: nothing changes
  assert.equal(reserved.recent(39, 10_000).volume, 0, "a reserved market has no trades yet");
  for (let i = 0; i < 500; i++) {
    const t = trade(1000 + i, 5000 + (i % 11) * 10, 100 + i);
    plain.addTrade((i * 7) % 40, t);
    reserved.addTrade((i * 7) % 40, t);
  }
  for (let m = 0; m < 41; m++) {
    assert.deepEqual(reserved.recent(m, 1400), plain.recent(m, 1400), `market ${m}`);
  }
});
