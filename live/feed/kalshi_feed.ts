/**
 * The Kalshi live feed: a {@link LiveFeed} (live/feed_port.ts) over Kalshi's
 * REST and WebSocket APIs, or over the mock exchange (mock_exchange/).
 *
 * 1. **Metadata first.** The markets' `series`, `event` and `market` events
 *    come from REST (metadata.ts), then one `lifecycle` event per market with
 *    its current status (and a `settlement` when it already has a result).
 *    Nothing else of a market comes out before its metadata.
 * 2. **WebSocket** (when a signer is given): the handshake carries the
 *    signer's headers for `GET /trade-api/ws/v2`, timestamped with the `timer`
 *    (wall) clock; the feed subscribes to
 *    `orderbook_delta` and `trade` for its markets, `market_lifecycle_v2`, and
 *    `ticker` with `tickerQuotes`. Books are rebuilt by {@link BookSync}: a
 *    snapshot, then deltas checked against the subscription's seq. A gap (or a
 *    delta below zero, a crossed or malformed book message) makes every book
 *    of the subscription invalid: nothing more is emitted for them until the
 *    resync (unsubscribe, subscribe again) brings fresh snapshots.
 *    Duplicate and late (out-of-order) book messages are dropped and counted;
 *    trades are deduplicated by trade id. Lifecycle messages become
 *    `lifecycle` / `settlement` events (lifecycle.ts). `add_markets` /
 *    `delete_markets` (update_subscription) follow {@link KalshiLiveFeed.addMarkets}
 *    and {@link KalshiLiveFeed.removeMarkets}.
 * 3. **Connection health.** npm:ws answers the server's pings; silence longer
 *    than `idleTimeoutMs` ends the session. After any end the feed reconnects
 *    with exponential backoff and seeded jitter (`base * 2^(k-1)` capped,
 *    equal jitter; the count restarts after a session that subscribed) and
 *    subscribes everything again: every book comes back through a snapshot,
 *    and once subscribed, a REST catch-up reads the trades since the last one
 *    seen before the outage and the markets' statuses (trade ids dedupe), so
 *    no trade or result is lost to a dropped socket.
 * 4. **REST fallback.** Without a signer, and while the socket is down or not
 *    subscribed, the feed polls every `pollIntervalMs`: `GET
 *    /markets/{t}/orderbook` (a `book_snapshot` when the book changed),
 *    `GET /markets?tickers=` (status changes, results) and `GET
 *    /markets/trades` (trades, deduplicated). While the socket is up, only
 *    books still invalid after a poll interval are polled (their snapshots
 *    only while the WebSocket book is still invalid when the answer arrives).
 *
 * Timestamps: the exchange's (`ts_ms` of deltas and trades, lifecycle times)
 * when a message has one, else the receive time of `clock`; the output queue
 * (event_queue.ts) keeps them non-decreasing. Prices and sizes are converted
 * digit by digit into ticks and centi-contracts (lib/units). Credentials are
 * never logged: only the key id masked to its last 4 characters.
 *
 * @example Follow two markets of the mock exchange
 * ```ts ignore
 * import { KalshiLiveFeed } from "./kalshi_feed.ts";
 *
 * const feed = KalshiLiveFeed.start({
 *   restBaseUrl: "http://127.0.0.1:8080/trade-api/v2",
 *   markets: ["KXHIGHNY-26JAN08-T36", "KXHIGHNY-26JAN08-B36.5"],
 *   signer: { headers: () => ({ "KALSHI-ACCESS-KEY": "k", "KALSHI-ACCESS-TIMESTAMP": "1", "KALSHI-ACCESS-SIGNATURE": "s" }) },
 * });
 * for await (const ev of feed.events()) console.log(ev.kind, ev.ts);
 * ```
 *
 * @module
 */

import { maskSecret } from "../../lib/kalshi/mask.ts";
import { backoffDelay, type RetryPolicy } from "../../lib/kalshi/retry.ts";
import { LevelBook } from "../../lib/kalshi/ws_book.ts";
import { encodeCommand, type WsCommand } from "../../lib/kalshi/ws_commands.ts";
import { WS_SIGN_PATH } from "../../lib/kalshi/signing.ts";
import {
  parseServerMessage,
  WsMessageError,
  type WsServerMessage,
} from "../../lib/kalshi/ws_messages.ts";
import { Prng } from "../../lib/random/prng.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { parsePrice } from "../../lib/units/price.ts";
import { parseCount } from "../../lib/units/quantity.ts";
import type { FeedHealth, LiveFeed } from "../feed_port.ts";
import { type LiveClock, systemClock } from "../io.ts";
import { BookSync, type SyncResult } from "./book_sync.ts";
import { EventQueue } from "./event_queue.ts";
import { LifecycleTracker } from "./lifecycle.ts";
import { bootstrapMetadata, fetchMarketRecords } from "./metadata.ts";
import { FeedRest } from "./rest.ts";
import { type SocketFactory, WsSession } from "./ws_session.ts";

/** Signs the WebSocket handshake; `lib/kalshi/signing.ts`'s `KalshiSigner` is one. */
export interface WsSigner {
  headers(method: string, path: string, nowMs: number): Record<string, string>;
}

/** Options of {@link KalshiLiveFeed.start}. */
export interface KalshiFeedOptions {
  /** REST base including `/trade-api/v2`. */
  readonly restBaseUrl: string;
  /** WebSocket URL; default {@link wsUrlFor}(restBaseUrl). */
  readonly wsUrl?: string;
  /** Market tickers to follow. */
  readonly markets: readonly string[];
  /** Without one the feed polls REST only. */
  readonly signer?: WsSigner;
  /** Stamps events (receive times). Default: the system clock. */
  readonly clock?: LiveClock;
  /** Sleeps and measures timeouts. Default: the system clock. */
  readonly timer?: LiveClock;
  /** Seed of the reconnect and retry jitter. Default 1. */
  readonly seed?: number;
  readonly fetch?: typeof fetch;
  readonly socketFactory?: SocketFactory;
  /** Turn `ticker` messages into `quote` events. Default false. */
  readonly tickerQuotes?: boolean;
  /** REST polling period, ms. Default 2000. */
  readonly pollIntervalMs?: number;
  /** Poll REST while the socket is unhealthy. Default true. */
  readonly restFallback?: boolean;
  /** Default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Default 10 000. */
  readonly handshakeTimeoutMs?: number;
  /** Per-attempt REST timeout, ms. Default 10 000. */
  readonly restTimeoutMs?: number;
  readonly restRetry?: RetryPolicy;
  /** Reconnect backoff, ms. Default 500 doubling to 30 000. */
  readonly reconnect?: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  /** `Date` header offsets beyond this are counted, ms. Default 2000. */
  readonly maxSkewMs?: number;
  /** Progress lines (never credentials). */
  readonly log?: (line: string) => void;
}

/**
 * The WebSocket URL of a REST base: `http(s)` becomes `ws(s)`,
 * `/trade-api/v2` becomes `/trade-api/ws/v2`, and Kalshi's REST hosts map to
 * their WebSocket hosts (`external-api` -> `external-api-ws`).
 */
export function wsUrlFor(restBaseUrl: string): string {
  const u = new URL(restBaseUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  if (u.hostname === "external-api.kalshi.com") u.hostname = "external-api-ws.kalshi.com";
  if (u.hostname === "external-api.demo.kalshi.co") u.hostname = "external-api-ws.demo.kalshi.co";
  u.pathname = u.pathname.replace(/\/trade-api\/v2\/?$/, "/trade-api/ws/v2");
  return u.href.replace(/\/$/, "");
}

type Purpose = "book" | "trade" | "lifecycle" | "ticker";

interface Conn {
  readonly session: WsSession;
  nextId: number;
  readonly pending: Map<number, { purpose: Purpose; markets: string[] }>;
  readonly sids: Partial<Record<Purpose, number>>;
  subscribed: boolean;
}

function checkInt(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(
      `Cannot start Kalshi feed: ${name} must be an integer >= ${min}, current value is ${v}`,
    );
  }
  return v;
}

/** See the module docs. */
export class KalshiLiveFeed implements LiveFeed {
  readonly #o: KalshiFeedOptions;
  readonly #clock: LiveClock;
  readonly #timer: LiveClock;
  readonly #rng: Prng;
  readonly #rest: FeedRest;
  readonly #queue = new EventQueue();
  readonly #sync = new BookSync();
  readonly #life = new LifecycleTracker();
  readonly #stop = new AbortController();
  readonly #wanted: string[];
  readonly #followed = new Set<string>();
  readonly #known = { series: new Set<string>(), events: new Set<string>() };
  readonly #seenTrades = new Set<string>();
  readonly #lastRestBook = new Map<string, LevelBook>();
  readonly #restCovered = new Set<string>();
  readonly #lastTradeTs = new Map<string, number>();
  readonly #counters: Record<string, number> = {
    reconnects: 0,
    sessions: 0,
    handshakeRejected: 0,
    idleTimeouts: 0,
    resyncRequests: 0,
    duplicateTrades: 0,
    serverErrors: 0,
    badMessages: 0,
    pings: 0,
    messages: 0,
    restPolls: 0,
    restSnapshots: 0,
    restTrades: 0,
    restPollFailures: 0,
    tradeCatchUps: 0,
    bootstrapFailures: 0,
    rejectedMarkets: 0,
    badRestData: 0,
  };
  readonly #pollMs: number;
  readonly #reconnect: RetryPolicy;
  #conn: Conn | null = null;
  #lastMessageTs = Number.NaN;
  #metadataDone = false;
  #restOk = false;
  /** Per market, the last trade time seen before an outage: trades after it are fetched again. */
  #catchUpSince: Map<string, number> | null = null;
  #pollWake: AbortController | null = null;
  #loops: Promise<void>[] = [];
  #closed = false;

  private constructor(o: KalshiFeedOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#timer = o.timer ?? systemClock;
    this.#rng = new Prng(o.seed ?? 1);
    this.#pollMs = checkInt("pollIntervalMs", o.pollIntervalMs ?? 2000, 1);
    const base = checkInt("reconnect.baseDelayMs", o.reconnect?.baseDelayMs ?? 500, 0);
    this.#reconnect = {
      maxAttempts: Number.MAX_SAFE_INTEGER,
      baseDelayMs: base,
      maxDelayMs: checkInt("reconnect.maxDelayMs", o.reconnect?.maxDelayMs ?? 30_000, base),
    };
    if (o.markets.length === 0 || o.markets.some((m) => typeof m !== "string" || m === "")) {
      throw new RangeError(
        `Cannot start Kalshi feed: markets must be a non-empty list of tickers, current value is ${
          JSON.stringify(o.markets)
        }`,
      );
    }
    this.#wanted = [...new Set(o.markets)];
    this.#rest = new FeedRest({
      baseUrl: o.restBaseUrl,
      clock: this.#clock,
      timer: this.#timer,
      random: () => this.#rng.next(),
      fetch: o.fetch,
      timeoutMs: o.restTimeoutMs,
      retry: o.restRetry,
      maxSkewMs: o.maxSkewMs,
      signal: this.#stop.signal,
    });
  }

  /**
   * Starts a feed (it runs in the background until {@link close}).
   *
   * @throws {RangeError} for bad options.
   */
  static start(options: KalshiFeedOptions): KalshiLiveFeed {
    new URL(options.restBaseUrl); // throws a TypeError for a malformed URL
    const f = new KalshiLiveFeed(options);
    f.#loops.push(f.#run());
    return f;
  }

  /** The tape events, in order, until {@link close}. */
  events(): AsyncIterable<TapeEvent> {
    return this.#queue;
  }

  /** Markets followed (after the bootstrap: those whose metadata converted). */
  get markets(): string[] {
    return [...this.#followed];
  }

  /** The book the feed last emitted for a market (WebSocket, else REST), or undefined. */
  book(market: string): LevelBook | undefined {
    return this.#sync.book(market) ??
      (this.#restCovered.has(market) ? this.#lastRestBook.get(market) : undefined);
  }

  health(): FeedHealth {
    const wsUp = this.#conn?.subscribed === true && this.#conn.session.isOpen;
    const mode: FeedHealth["mode"] = wsUp
      ? "ws"
      : this.#restOk && this.#restWanted()
      ? "rest"
      : "down";
    const invalid = this.#o.signer === undefined
      ? this.#markets().filter((m) => !this.#restCovered.has(m))
      : this.#sync.invalidBooks().filter((m) => this.#followed.has(m) && !this.#restCovered.has(m));
    const r = this.#rest.counters;
    return {
      mode,
      lastMessageTs: this.#lastMessageTs,
      invalidBooks: this.#metadataDone ? invalid : [...this.#wanted],
      counters: {
        ...this.#counters,
        ...this.#sync.counters,
        clampedTs: this.#queue.clamped,
        undeclaredDropped: this.#queue.undeclared,
        queued: this.#queue.size,
        restRequests: r.requests,
        restRetries: r.retries,
        restTimeouts: r.timeouts,
        http429: r.http429,
        http5xx: r.http5xx,
        restNetworkErrors: r.networkErrors,
        restFailures: r.failures,
        clockSkewDetected: r.clockSkewDetected,
        ...(Number.isNaN(this.#rest.lastSkewMs) ? {} : { lastClockSkewMs: this.#rest.lastSkewMs }),
      },
    };
  }

  /** Stops everything; the event iterator ends after the events already queued. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort(new Error("feed closed"));
    this.#conn?.session.close("feed closed");
    this.#queue.close();
    await Promise.allSettled(this.#loops);
  }

  /** Follows more markets: metadata first, then update_subscription add_markets. */
  async addMarkets(tickers: readonly string[]): Promise<string[]> {
    const fresh = [...new Set(tickers)].filter((t) => !this.#followed.has(t));
    if (fresh.length === 0 || this.#closed) return [];
    const added = await this.#declare(fresh);
    const c = this.#conn;
    if (c?.subscribed && added.length > 0) {
      for (const p of ["book", "trade", "ticker"] as const) {
        const sid = c.sids[p];
        if (sid === undefined) continue;
        if (p === "book") this.#sync.addMarkets(sid, added);
        this.#send(c, {
          id: c.nextId++,
          cmd: "update_subscription",
          sids: [sid],
          marketTickers: added,
          action: "add_markets",
        });
      }
    }
    return added;
  }

  /** Stops following markets (update_subscription delete_markets). */
  removeMarkets(tickers: readonly string[]): void {
    const gone = tickers.filter((t) => this.#followed.delete(t));
    if (gone.length === 0) return;
    this.#sync.removeMarkets(gone);
    for (const t of gone) {
      this.#lastRestBook.delete(t);
      this.#restCovered.delete(t);
    }
    const c = this.#conn;
    if (c?.subscribed) {
      for (const p of ["book", "trade", "ticker"] as const) {
        const sid = c.sids[p];
        if (sid !== undefined) {
          this.#send(c, {
            id: c.nextId++,
            cmd: "update_subscription",
            sids: [sid],
            marketTickers: gone,
            action: "delete_markets",
          });
        }
      }
    }
  }

  #markets(): string[] {
    return [...this.#followed];
  }

  #log(line: string): void {
    this.#o.log?.(line);
  }

  async #sleep(ms: number): Promise<boolean> {
    try {
      await this.#timer.sleep(ms, this.#stop.signal);
      return true;
    } catch {
      return false;
    }
  }

  #push(ev: TapeEvent): void {
    this.#queue.push(ev);
  }

  /** Reads and emits the metadata of `tickers`; returns those accepted. */
  async #declare(tickers: readonly string[]): Promise<string[]> {
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        const md = await bootstrapMetadata(this.#rest, tickers, this.#known);
        for (const r of md.rejected) {
          this.#counters.rejectedMarkets++;
          this.#log(`feed: not following ${r.market}: ${r.reason}`);
        }
        for (const s of md.series) {
          this.#known.series.add(s.series);
          this.#push(s);
        }
        for (const e of md.events) {
          this.#known.events.add(e.event);
          this.#push(e);
        }
        for (const m of md.markets) this.#push(m);
        for (const m of md.markets) {
          const rec = md.records.get(m.market)!;
          for (
            const ev of this.#life.fromRest(
              m.market,
              rec.status,
              rec.result,
              md.ts,
              expirationOf(rec),
            )
          ) {
            this.#push(ev);
          }
          this.#followed.add(m.market);
          if (!this.#lastTradeTs.has(m.market)) this.#lastTradeTs.set(m.market, md.ts);
        }
        return md.markets.map((m) => m.market);
      } catch (e) {
        if (this.#closed) break;
        this.#counters.bootstrapFailures++;
        const delay = backoffDelay(Math.min(attempt, 30), this.#reconnect, () => this.#rng.next());
        this.#log(`feed: metadata read failed (${(e as Error).message}); again in ${delay} ms`);
        if (!(await this.#sleep(delay))) break;
      }
    }
    return [];
  }

  async #run(): Promise<void> {
    await this.#declare(this.#wanted);
    this.#metadataDone = true;
    if (this.#closed) return;
    if (this.#o.signer !== undefined) this.#loops.push(this.#wsLoop());
    if (this.#o.signer === undefined || (this.#o.restFallback ?? true)) {
      this.#loops.push(this.#pollLoop());
    }
  }

  // ---- WebSocket ----

  async #wsLoop(): Promise<void> {
    let attempt = 0;
    while (!this.#closed) {
      const subscribed = await this.#session();
      if (this.#closed) return;
      this.#sync.reset();
      this.#restCovered.clear();
      attempt = subscribed ? 1 : attempt + 1;
      this.#counters.reconnects++;
      const delay = backoffDelay(Math.min(attempt, 60), this.#reconnect, () => this.#rng.next());
      this.#log(`feed: reconnecting in ${delay} ms`);
      if (!(await this.#sleep(delay))) return;
    }
  }

  /** One session; resolves when it ends, with whether it got subscribed. */
  #session(): Promise<boolean> {
    return new Promise((resolve) => {
      const url = this.#o.wsUrl ?? wsUrlFor(this.#o.restBaseUrl);
      let headers: Record<string, string>;
      try {
        // Signed with the wall clock (timer): the exchange checks the timestamp's freshness.
        headers = this.#o.signer!.headers("GET", WS_SIGN_PATH, this.#timer.now());
      } catch (e) {
        this.#log(`feed: cannot sign the handshake: ${(e as Error).message}`);
        resolve(false);
        return;
      }
      const key = Object.entries(headers).find(([k]) =>
        k.toUpperCase() === "KALSHI-ACCESS-KEY"
      )?.[1] ?? "";
      this.#counters.sessions++;
      this.#log(`feed: connecting to ${url} with key ${maskSecret(key)}`);
      let conn: Conn | null = null;
      const session = new WsSession(
        {
          url,
          headers,
          timer: this.#timer,
          factory: this.#o.socketFactory,
          idleTimeoutMs: this.#o.idleTimeoutMs,
          handshakeTimeoutMs: this.#o.handshakeTimeoutMs,
        },
        {
          onOpen: () => this.#subscribeAll(conn!),
          onMessage: (text) => this.#onMessage(conn!, text),
          onPing: () => {
            this.#counters.pings++;
            this.#lastMessageTs = this.#clock.now();
          },
          onEnd: (reason) => {
            if (/^handshake HTTP/.test(reason)) this.#counters.handshakeRejected++;
            if (/^idle timeout/.test(reason)) this.#counters.idleTimeouts++;
            if (!this.#closed) this.#log(`feed: WebSocket session ended: ${reason}`);
            const got = conn!.subscribed;
            if (got && this.#catchUpSince === null) this.#catchUpSince = new Map(this.#lastTradeTs);
            conn!.subscribed = false;
            if (this.#conn === conn) this.#conn = null;
            resolve(got);
          },
        },
      );
      conn = { session, nextId: 1, pending: new Map(), sids: {}, subscribed: false };
      this.#conn = conn;
      session.start();
    });
  }

  #send(c: Conn, cmd: WsCommand): void {
    c.session.send(encodeCommand(cmd));
  }

  #subscribe(c: Conn, purpose: Purpose, markets: string[]): void {
    const channel = purpose === "book"
      ? "orderbook_delta"
      : purpose === "lifecycle"
      ? "market_lifecycle_v2"
      : purpose;
    const id = c.nextId++;
    c.pending.set(id, { purpose, markets });
    this.#send(c, {
      id,
      cmd: "subscribe",
      channels: [channel],
      ...(purpose === "lifecycle" ? {} : { marketTickers: markets }),
    });
  }

  #subscribeAll(c: Conn): void {
    const markets = this.#markets();
    if (markets.length > 0) {
      this.#subscribe(c, "book", markets);
      this.#subscribe(c, "trade", markets);
      if (this.#o.tickerQuotes) this.#subscribe(c, "ticker", markets);
    }
    this.#subscribe(c, "lifecycle", []);
  }

  #onMessage(c: Conn, text: string): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    this.#lastMessageTs = now;
    this.#counters.messages++;
    let m: WsServerMessage;
    try {
      m = parseServerMessage(text);
    } catch (e) {
      this.#counters.badMessages++;
      if (e instanceof WsMessageError && /^orderbook_/.test(e.wireType ?? "")) {
        this.#apply(c, this.#sync.onBadMessage(e.sid, e.seq));
      }
      return;
    }
    switch (m.type) {
      case "subscribed": {
        const p = m.id === undefined ? undefined : c.pending.get(m.id);
        if (p === undefined) return;
        c.pending.delete(m.id!);
        c.sids[p.purpose] = m.sid;
        if (p.purpose === "book") {
          // Markets removed while the subscribe was on its way stay out.
          this.#sync.subscribed(m.sid, p.markets.filter((t) => this.#followed.has(t)));
          const missing = this.#markets().filter((t) => !p.markets.includes(t));
          if (missing.length > 0) {
            this.#sync.addMarkets(m.sid, missing);
            this.#send(c, {
              id: c.nextId++,
              cmd: "update_subscription",
              sids: [m.sid],
              marketTickers: missing,
              action: "add_markets",
            });
          }
          c.subscribed = true;
          if (this.#catchUpSince !== null) this.#wakePoll();
        }
        return;
      }
      case "error":
        this.#counters.serverErrors++;
        if (m.id !== undefined) c.pending.delete(m.id);
        this.#log(`feed: server error ${m.code}: ${m.message}`);
        return;
      case "orderbook_snapshot": {
        const r = this.#sync.onSnapshot(m, now);
        if (r.events.length > 0) this.#restCovered.delete(m.market);
        this.#apply(c, r);
        return;
      }
      case "orderbook_delta":
        this.#apply(c, this.#sync.onDelta(m, now));
        return;
      case "trade":
        if (!this.#followed.has(m.market)) return;
        if (this.#seenTrade(m.tradeId)) {
          this.#counters.duplicateTrades++;
          return;
        }
        this.#noteTradeTs(m.market, m.tsMs ?? now);
        this.#push({
          kind: "trade",
          ts: m.tsMs ?? now,
          market: m.market,
          price: m.yesPrice,
          count: m.count,
          takerSide: m.takerSide,
        });
        return;
      case "market_lifecycle_v2":
        if (!this.#followed.has(m.market)) return;
        for (const ev of this.#life.fromWs(m, now)) this.#push(ev);
        return;
      case "ticker": {
        if (!this.#o.tickerQuotes || !this.#followed.has(m.market)) return;
        const bid = m.yesBid;
        const ask = m.yesAsk;
        if ((bid === 0 && ask === 10000) || bid > ask || bid >= 10000 || ask <= 0) return;
        this.#push({
          kind: "quote",
          ts: m.tsMs ?? now,
          market: m.market,
          yesBid: bid,
          yesAsk: ask,
          yesBidSize: m.yesBidSize ?? 0,
          yesAskSize: m.yesAskSize ?? 0,
        });
        return;
      }
      default:
        return;
    }
  }

  /** Remembers a trade id (the last 20 000); true when it was already seen. */
  #seenTrade(id: string): boolean {
    if (this.#seenTrades.has(id)) return true;
    this.#seenTrades.add(id);
    if (this.#seenTrades.size > 20_000) {
      this.#seenTrades.delete(this.#seenTrades.values().next().value as string);
    }
    return false;
  }

  #apply(c: Conn, r: SyncResult): void {
    for (const ev of r.events) this.#push(ev);
    if (r.resync === undefined) return;
    for (const m of r.resync.markets) this.#restCovered.delete(m);
    this.#counters.resyncRequests++;
    this.#log(`feed: resync of sid ${r.resync.sid} (${r.resync.reason})`);
    if (c.sids.book === r.resync.sid) delete c.sids.book;
    this.#send(c, { id: c.nextId++, cmd: "unsubscribe", sids: [r.resync.sid] });
    const markets = r.resync.markets.filter((t) => this.#followed.has(t));
    if (markets.length > 0) this.#subscribe(c, "book", markets);
  }

  // ---- REST fallback ----

  /** Whether the socket is not serving (no signer, down, or not subscribed). */
  #restWanted(): boolean {
    if (this.#o.signer === undefined) return true;
    const c = this.#conn;
    return !(c?.subscribed === true && c.session.isOpen);
  }

  /** Sleeps a poll interval, or less when {@link #wakePoll} is called. */
  async #pollSleep(): Promise<void> {
    const wake = new AbortController();
    this.#pollWake = wake;
    const stop = () => wake.abort();
    this.#stop.signal.addEventListener("abort", stop, { once: true });
    try {
      await this.#timer.sleep(this.#pollMs, wake.signal);
    } catch {
      // woken or closed
    } finally {
      this.#stop.signal.removeEventListener("abort", stop);
      this.#pollWake = null;
    }
  }

  #wakePoll(): void {
    this.#pollWake?.abort();
  }

  async #pollLoop(): Promise<void> {
    let first = this.#o.signer === undefined;
    while (!this.#closed) {
      if (!first) await this.#pollSleep();
      if (this.#closed) return;
      first = false;
      const full = this.#restWanted();
      try {
        if (full) {
          if (this.#o.signer !== undefined && this.#o.restFallback === false) continue;
          const all = this.#markets();
          this.#counters.restPolls++;
          await this.#pollStatus(all);
          await this.#pollBooks(all);
          await this.#pollTrades(all);
        } else {
          // The socket serves: catch up on trades missed by the last outage, and poll
          // books still invalid a poll interval later.
          const since = this.#catchUpSince;
          if (since !== null) {
            // Claim it: an outage during the catch-up sets a new one.
            this.#catchUpSince = null;
            try {
              const all = this.#markets();
              await this.#pollStatus(all);
              await this.#pollTrades(all, since);
              this.#counters.tradeCatchUps++;
            } catch (e) {
              const again = this.#catchUpSince as Map<string, number> | null;
              if (again === null) this.#catchUpSince = since;
              else for (const [m, t] of since) again.set(m, Math.min(t, again.get(m) ?? t));
              throw e;
            }
          }
          const invalid = this.#sync.invalidBooks().filter((m) => this.#followed.has(m));
          if (invalid.length > 0 && this.#o.restFallback !== false) {
            this.#counters.restPolls++;
            await this.#pollBooks(invalid);
          }
        }
      } catch (e) {
        if (this.#closed) return;
        this.#restOk = false;
        this.#counters.restPollFailures++;
        this.#log(`feed: REST poll failed: ${(e as Error).message}`);
      }
    }
  }

  /** Status changes and results of `markets` (one request per 100 markets). */
  async #pollStatus(markets: readonly string[]): Promise<void> {
    const { records, ts } = await fetchMarketRecords(this.#rest, markets);
    this.#restOk = true;
    for (const t of markets) {
      const rec = records.get(t);
      if (rec === undefined || !this.#followed.has(t)) continue;
      for (const ev of this.#life.fromRest(t, rec.status, rec.result, ts, expirationOf(rec))) {
        this.#push(ev);
      }
    }
  }

  /** Book snapshots of `markets` whose WebSocket book is not valid. */
  async #pollBooks(markets: readonly string[]): Promise<void> {
    for (const t of markets) {
      if (this.#closed || !this.#followed.has(t)) return;
      const a = await this.#rest.get(`/markets/${encodeURIComponent(t)}/orderbook`);
      this.#restOk = true;
      const book = restBook(a.body);
      if (book === null || book.isCrossed()) {
        this.#counters.badRestData++;
        continue;
      }
      // A WebSocket book that became valid meanwhile wins: it continues with deltas.
      if (this.#sync.book(t) !== undefined || !this.#followed.has(t)) continue;
      const last = this.#lastRestBook.get(t);
      if (last !== undefined && last.equals(book) && this.#restCovered.has(t)) continue;
      this.#lastRestBook.set(t, book);
      this.#restCovered.add(t);
      this.#counters.restSnapshots++;
      this.#push(book.toSnapshot(a.receivedTs, t, this.#sync.nextTapeSeq(t)));
    }
  }

  #noteTradeTs(market: string, ts: number): void {
    this.#lastTradeTs.set(market, Math.max(this.#lastTradeTs.get(market) ?? 0, ts));
  }

  /**
   * Trades of `markets` since the last one seen (or `from`'s time, or the
   * bootstrap), deduplicated by id.
   */
  async #pollTrades(markets: readonly string[], from?: ReadonlyMap<string, number>): Promise<void> {
    for (const t of markets) {
      if (this.#closed || !this.#followed.has(t)) return;
      const since = from?.get(t) ?? this.#lastTradeTs.get(t) ?? this.#clock.now();
      const q = { ticker: t, limit: "1000", min_ts: String(Math.floor(since / 1000) - 1) };
      const a = await this.#rest.get("/markets/trades", q);
      this.#restOk = true;
      const list = Array.isArray(a.body.trades) ? [...a.body.trades].reverse() : [];
      for (const raw of list) {
        const ev = restTrade(raw, t);
        if (ev === null) {
          this.#counters.badRestData++;
          continue;
        }
        if (this.#seenTrade(ev.id)) continue;
        this.#noteTradeTs(t, ev.ts);
        this.#counters.restTrades++;
        this.#push(ev.event);
      }
    }
  }
}

function expirationOf(rec: Record<string, unknown>): number | undefined {
  const v = rec.expiration_value;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** A REST `orderbook_fp` answer as a book, or null when malformed. */
function restBook(body: Record<string, unknown>): LevelBook | null {
  const ob = body.orderbook_fp as { yes_dollars?: unknown; no_dollars?: unknown } | undefined;
  if (typeof ob !== "object" || ob === null) return null;
  const side = (v: unknown): [number, number][] | null => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return null;
    const out: [number, number][] = [];
    for (const lv of v) {
      if (!Array.isArray(lv) || typeof lv[0] !== "string" || typeof lv[1] !== "string") return null;
      const p = parsePrice(lv[0]);
      const s = parseCount(lv[1]);
      if (s > 0) out.push([p, s]);
    }
    return out;
  };
  try {
    const yes = side(ob.yes_dollars);
    const no = side(ob.no_dollars);
    return yes === null || no === null ? null : LevelBook.fromLevels(yes, no);
  } catch {
    return null;
  }
}

/** A REST trade record as a tape trade, or null when malformed or of another market. */
function restTrade(
  raw: unknown,
  market: string,
): { id: string; ts: number; event: TapeEvent } | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.ticker !== market || typeof r.trade_id !== "string") return null;
  const ts = Date.parse(String(r.created_time));
  const side = r.taker_side;
  if (!Number.isFinite(ts) || (side !== "yes" && side !== "no")) return null;
  try {
    const price = parsePrice(String(r.yes_price_dollars));
    const count = parseCount(String(r.count_fp));
    if (price < 1 || price > 9999 || count <= 0) return null;
    return {
      id: r.trade_id,
      ts,
      event: { kind: "trade", ts, market, price, count, takerSide: side },
    };
  } catch {
    return null;
  }
}
