/**
 * `--exchange mock` of `deno task live`: the local mock exchange
 * (mock_exchange/exchange.ts) started in-process on 127.0.0.1, playing a tape
 * at a speed, and the live feed (live/feed/kalshi_feed.ts) connected to it over
 * REST and WebSocket, merged with a reference feed of the tape's `underlying`
 * values (Kalshi has no channel for them; live, they would come from their own
 * source).
 *
 * Clocks: the exchange keeps tape time (its `Date` headers and `ts_ms` are
 * tape times) and the feed stamps events with the exchange's clock, so the
 * recorded tape is in tape time. The lane keeps the wall clock for its rails;
 * the feed's health is mapped onto it (wall = now - (exchange now - t) /
 * speed). The WebSocket handshake is signed with the given signer (the
 * credentials' in live mode) or, in dry-run, with a placeholder the mock
 * accepts (it checks that the headers are there, not what they say).
 *
 * When the exchange has played the whole tape and `graceMs` of wall time
 * passed, the feed is closed, so the session ends with the tape.
 *
 * @module
 */

import type { TapeEvent } from "../lib/tape/events.ts";
import { measureSkew } from "../lib/kalshi/clock_skew.ts";
import { MockKalshiExchange } from "../mock_exchange/exchange.ts";
import type { FaultSpec } from "../mock_exchange/faults.ts";
import { ArrayFeed } from "./array_feed.ts";
import type { LiveFeed } from "./feed_port.ts";
import { type KalshiFeedOptions, KalshiLiveFeed, type WsSigner } from "./feed/kalshi_feed.ts";
import type { LiveClock } from "./io.ts";
import { MergedFeed } from "./merged_feed.ts";

/** What {@link openExchange} needs. */
export interface ExchangeOptions {
  readonly tape: readonly TapeEvent[];
  /** Tape ms per wall ms (> 0). */
  readonly speed: number;
  /** The lane's wall clock. */
  readonly clock: LiveClock;
  /** Signs the WebSocket handshake (default: a placeholder for the mock). */
  readonly signer?: WsSigner;
  /** Faults the mock injects (mock_exchange/faults.ts). */
  readonly faults?: readonly FaultSpec[];
  readonly faultSeed?: number;
  /** Close the feed this long (wall ms) after the tape was played (default 2000). */
  readonly graceMs?: number;
  /** Options passed to the live feed (reconnect, timeouts, ...). */
  readonly feed?: Partial<KalshiFeedOptions>;
}

/** A running exchange and the feed connected to it. */
export interface OpenExchange {
  readonly feed: LiveFeed;
  readonly exchange: MockKalshiExchange;
  readonly baseUrl: string;
  /** Markets the feed follows. */
  readonly markets: readonly string[];
  /**
   * Local-minus-exchange skew (ms) of the clock the lane signs with (the
   * exchange-time clock), from the `Date` headers of five REST answers: the
   * middle of the intersection of their intervals (lib/kalshi/clock_skew.ts);
   * undefined when no answer came.
   */
  measureSkew(): Promise<number | undefined>;
  close(): Promise<void>;
}

/** A placeholder signer for dry-run against the mock (no credential involved). */
export const MOCK_DRY_SIGNER: WsSigner = {
  headers: (method, path, nowMs) => ({
    "KALSHI-ACCESS-KEY": "mock-dry-run",
    "KALSHI-ACCESS-TIMESTAMP": String(nowMs),
    "KALSHI-ACCESS-SIGNATURE": btoa(`dry-run ${method} ${path}`),
  }),
};

/** Start the mock exchange and connect the live feed; see the module docs. */
export async function openExchange(o: ExchangeOptions): Promise<OpenExchange> {
  if (!Number.isFinite(o.speed) || o.speed <= 0) {
    throw new RangeError(
      `Cannot start --exchange mock: speed must be > 0, current value is ${o.speed}`,
    );
  }
  const markets = o.tape.flatMap((e) => (e.kind === "market" ? [e.market] : []));
  if (markets.length === 0) {
    throw new RangeError(
      "Cannot start --exchange mock: the tape declares no market, current value is 0",
    );
  }
  const ex = await MockKalshiExchange.start({
    tape: o.tape,
    speed: o.speed,
    faults: o.faults,
    faultSeed: o.faultSeed,
  });
  const wall = o.clock;
  const speed = o.speed;
  const exClock: LiveClock = {
    now: () => ex.now(),
    sleep: (ms, signal) => wall.sleep(ms / speed, signal),
  };
  const kalshi = KalshiLiveFeed.start({
    restBaseUrl: ex.baseUrl,
    markets: [...new Set(markets)],
    signer: o.signer ?? MOCK_DRY_SIGNER,
    clock: exClock,
    timer: wall,
    reconnect: { baseDelayMs: 50, maxDelayMs: 1000 },
    pollIntervalMs: 2000,
    ...o.feed,
  });
  const underlying = o.tape.filter((e) => e.kind === "underlying");
  const reference = new ArrayFeed(underlying, { clock: exClock, schedule: "absolute" });
  const toWall = (t: number) =>
    Number.isNaN(t) ? t : Math.round(wall.now() - (ex.now() - t) / speed);
  const feed = new MergedFeed(
    kalshi,
    reference,
    (h) => ({ ...h, lastMessageTs: toWall(h.lastMessageTs) }),
  );
  let closed = false;
  const stop = new AbortController();
  const watcher = (async () => {
    const grace = o.graceMs ?? 2000;
    try {
      while (!ex.player.done) await wall.sleep(250, stop.signal);
      await wall.sleep(grace, stop.signal);
      await feed.close();
    } catch { /* stopped */ }
  })();
  return {
    feed,
    exchange: ex,
    baseUrl: ex.baseUrl,
    markets,
    async measureSkew() {
      // The true skew lies in every sample's interval: take the middle of their intersection.
      let lo = Number.NEGATIVE_INFINITY;
      let hi = Number.POSITIVE_INFINITY;
      let n = 0;
      for (let i = 0; i < 5; i++) {
        try {
          const sentMs = Math.round(exClock.now());
          const res = await fetch(`${ex.baseUrl}/markets?limit=1`);
          const receivedMs = Math.round(exClock.now());
          await res.body?.cancel();
          const date = res.headers.get("date");
          if (date === null) continue;
          const m = measureSkew({ exchange: date, sentMs, receivedMs });
          lo = Math.max(lo, m.minSkewMs);
          hi = Math.min(hi, m.maxSkewMs);
          n++;
        } catch { /* try again */ }
      }
      if (n === 0) return undefined;
      // Disjoint intervals (the exchange's clock moved between answers): still their middle.
      return Math.round((lo + hi) / 2);
    },
    async close() {
      if (closed) return;
      closed = true;
      stop.abort();
      await feed.close();
      await watcher;
      await ex.close();
    },
  };
}
