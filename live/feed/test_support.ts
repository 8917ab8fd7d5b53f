/**
 * Helpers of the live feed's loopback tests: a mock exchange and a feed wired
 * together (the feed stamps events with the exchange's clock), an event
 * collector, a socket factory that can hold subscribe commands back, and
 * replay of book events.
 *
 * @module
 */

import { LevelBook } from "../../lib/kalshi/ws_book.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import {
  MockKalshiExchange,
  type MockKalshiExchangeOptions,
} from "../../mock_exchange/exchange.ts";
import { systemClock } from "../io.ts";
import { type KalshiFeedOptions, KalshiLiveFeed, type WsSigner } from "./kalshi_feed.ts";
import { type ClientSocket, npmWsFactory, type SocketFactory } from "./ws_session.ts";

/** A signer that passes the mock's handshake check (any values do). */
export const TEST_SIGNER: WsSigner = {
  headers: (method, path, nowMs) => ({
    "KALSHI-ACCESS-KEY": "test-key-id-7f3a",
    "KALSHI-ACCESS-TIMESTAMP": String(nowMs),
    "KALSHI-ACCESS-SIGNATURE": btoa(`${nowMs}${method}${path}`),
  }),
};

/** Polls `pred` every 5 ms until true, or throws after `timeoutMs`. */
export async function until(
  pred: () => boolean,
  timeoutMs = 4000,
  what = "condition",
): Promise<void> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A socket factory whose sockets can hold back outgoing commands matching a pattern. */
export class HoldingFactory {
  hold: RegExp | null = null;
  readonly held: { socket: ClientSocket; text: string }[] = [];
  readonly factory: SocketFactory = (url, headers, t) => {
    const s = npmWsFactory(url, headers, t);
    const send = s.send.bind(s);
    (s as { send: (text: string) => void }).send = (text: string) => {
      if (this.hold !== null && this.hold.test(text)) this.held.push({ socket: s, text });
      else send(text);
    };
    return s;
  };

  /** Sends what was held and stops holding. */
  release(): void {
    this.hold = null;
    for (const h of this.held.splice(0)) {
      try {
        h.socket.send(h.text);
      } catch {
        // the socket is gone
      }
    }
  }
}

/** An exchange, a feed on it, and the feed's events as they come. */
export interface Pair {
  readonly ex: MockKalshiExchange;
  readonly feed: KalshiLiveFeed;
  readonly events: TapeEvent[];
  close(): Promise<void>;
}

/** Starts a mock exchange and a feed following `markets` on it. */
export async function startPair(
  exchange: MockKalshiExchangeOptions,
  feed: Partial<KalshiFeedOptions> & { markets: readonly string[] },
): Promise<Pair> {
  const ex = await MockKalshiExchange.start({ pingIntervalMs: 0, ...exchange });
  const f = KalshiLiveFeed.start({
    restBaseUrl: ex.baseUrl,
    signer: TEST_SIGNER,
    clock: { now: () => ex.now(), sleep: systemClock.sleep },
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    pollIntervalMs: 60_000,
    ...feed,
  });
  const events: TapeEvent[] = [];
  const consumer = (async () => {
    for await (const ev of f.events()) events.push(ev);
  })();
  return {
    ex,
    feed: f,
    events,
    async close() {
      await f.close();
      await consumer;
      await ex.close();
    },
  };
}

/** Whether the feed is on the WebSocket with every book valid. */
export function wsReady(feed: KalshiLiveFeed): boolean {
  const h = feed.health();
  return h.mode === "ws" && h.invalidBooks.length === 0;
}

/** The books at the end of a list of book events, by market. */
export function replayBooks(events: readonly TapeEvent[]): Map<string, LevelBook> {
  const books = new Map<string, LevelBook>();
  for (const ev of events) {
    if (ev.kind === "book_snapshot") books.set(ev.market, LevelBook.fromSnapshot(ev));
    else if (ev.kind === "book_delta") books.get(ev.market)!.apply(ev.side, ev.price, ev.delta);
  }
  return books;
}

/** The book state (as a key) after each book event, per market. */
export function bookStates(events: readonly TapeEvent[]): Map<string, string[]> {
  const books = new Map<string, LevelBook>();
  const out = new Map<string, string[]>();
  for (const ev of events) {
    if (ev.kind !== "book_snapshot" && ev.kind !== "book_delta") continue;
    if (ev.kind === "book_snapshot") books.set(ev.market, LevelBook.fromSnapshot(ev));
    else books.get(ev.market)!.apply(ev.side, ev.price, ev.delta);
    const b = books.get(ev.market)!;
    const key = JSON.stringify([b.levels("yes"), b.levels("no")]);
    if (!out.has(ev.market)) out.set(ev.market, []);
    out.get(ev.market)!.push(key);
  }
  return out;
}
