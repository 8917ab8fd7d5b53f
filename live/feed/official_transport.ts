/**
 * The live feed's REST transport through Kalshi's official client
 * (`npm:kalshi-typescript`, DESIGN.md §7): a `fetch`-shaped function that maps
 * each read the feed makes onto the client's API methods and hands back the
 * answer as a `Response` (status, `Date` header, body text), so
 * {@link FeedRest} keeps its retries, timeouts and counters unchanged.
 *
 * Reads it knows: `GET /markets` (tickers, limit, cursor, event_ticker,
 * series_ticker, status), `/markets/{ticker}`, `/markets/{ticker}/orderbook` (depth),
 * `/markets/trades` (ticker, limit, cursor, min_ts, max_ts), `/events/{ticker}`
 * (with_nested_markets) and `/series/{ticker}`. Anything else is an error: the
 * feed never reads it. No credentials: these are public market data.
 *
 * @module
 */

import { Configuration, EventsApi, type GetMarketsStatusEnum, MarketApi } from "kalshi-typescript";

/** The part of the client's (axios) response this transport reads. */
interface ClientResponse {
  readonly status: number;
  readonly data: unknown;
  readonly headers: Record<string, unknown>;
}

type Options = NonNullable<Parameters<MarketApi["getSeries"]>[2]>;

/** A `fetch` for {@link FeedRest} backed by the official client at `baseUrl` (with `/trade-api/v2`). */
export function officialTransport(baseUrl: string): typeof fetch {
  const base = baseUrl.replace(/\/+$/, "");
  const config = new Configuration({ basePath: base });
  const markets = new MarketApi(config);
  const events = new EventsApi(config);
  const host = new URL(base).hostname;
  const loopback = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  const prefix = new URL(base).pathname;

  const call = (url: URL, o: Options): Promise<ClientResponse> => {
    let path = url.pathname;
    if (!path.startsWith(prefix)) {
      throw new Error(
        `Cannot read ${url.pathname}: not below ${prefix}, current value is ${url.href}`,
      );
    }
    path = path.slice(prefix.length);
    const q = url.searchParams;
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
    const str = (k: string) => q.get(k) ?? undefined;
    let m: RegExpMatchArray | null;
    if (path === "/markets") {
      return markets.getMarkets(
        num("limit"),
        str("cursor"),
        str("event_ticker"),
        str("series_ticker"),
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        str("status") as GetMarketsStatusEnum | undefined,
        str("tickers"),
        undefined,
        o,
      );
    }
    if (path === "/markets/trades") {
      return markets.getTrades(
        num("limit"),
        str("cursor"),
        str("ticker"),
        num("min_ts"),
        num("max_ts"),
        undefined,
        o,
      );
    }
    if ((m = path.match(/^\/markets\/([^/]+)$/)) !== null) {
      return markets.getMarket(decodeURIComponent(m[1]), o);
    }
    if ((m = path.match(/^\/markets\/([^/]+)\/orderbook$/)) !== null) {
      return markets.getMarketOrderbook(decodeURIComponent(m[1]), num("depth"), o);
    }
    if ((m = path.match(/^\/events\/([^/]+)$/)) !== null) {
      const nested = str("with_nested_markets");
      return events.getEvent(
        decodeURIComponent(m[1]),
        nested === undefined ? undefined : nested === "true",
        o,
      );
    }
    if ((m = path.match(/^\/series\/([^/]+)$/)) !== null) {
      return markets.getSeries(decodeURIComponent(m[1]), undefined, o);
    }
    throw new Error(
      `Cannot read ${path}: the live feed has no such read, current value is ${path}`,
    );
  };

  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const r = await call(url, {
      // The body as text (FeedRest parses and checks it), every status returned as an answer.
      responseType: "text",
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      signal: init?.signal ?? undefined,
      ...(loopback ? { proxy: false as const } : {}),
    });
    const headers = new Headers();
    const date = r.headers["date"];
    if (typeof date === "string") headers.set("date", date);
    return new Response(typeof r.data === "string" ? r.data : JSON.stringify(r.data), {
      status: r.status,
      headers,
    });
  };
}
