/**
 * A thin read-only wrapper over Kalshi's official OpenAPI client
 * (`npm:kalshi-typescript`): it builds the client's API objects for one base
 * URL and routes every call through a {@link TokenBucket} (pacing) and
 * {@link withRetry} (backoff on 429, 5xx and network errors).
 *
 * Every call asks the client for the body as text (axios `responseType:
 * "text"` with an identity transform) so the caller can cache the response
 * byte for byte; the text is also parsed and must be a JSON object (a body cut
 * short is retried). After each response the wrapper checks that the URL the
 * client built matches {@link requestTarget}'s path and query, so the cache key
 * always names what was really requested.
 *
 * This is an I/O adapter (DESIGN.md §1: `lib/kalshi/`): it touches the network,
 * but its clock, sleep and random source are injected. No credentials are used:
 * the endpoints it calls are public market data.
 *
 * @example Read one page of markets from a local mock server
 * ```ts ignore
 * import { KalshiReadClient } from "./client.ts";
 * import { TokenBucket } from "./token_bucket.ts";
 * import { DEFAULT_RETRY_POLICY } from "./retry.ts";
 *
 * const client = new KalshiReadClient({
 *   baseUrl: "http://127.0.0.1:8080/trade-api/v2",
 *   bucket: new TokenBucket({ ratePerSecond: 20, now: Date.now }),
 *   retry: DEFAULT_RETRY_POLICY,
 *   random: Math.random,
 *   sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
 *   now: Date.now,
 * });
 * const page = await client.get({ endpoint: "markets", seriesTicker: "KXHIGHNY", limit: 1000 });
 * console.log(page.status, page.target.path, (page.body as { cursor: string }).cursor);
 * ```
 *
 * @module
 */

import {
  Configuration,
  EventsApi,
  type GetMarketCandlesticksHistoricalPeriodIntervalEnum,
  type GetMarketCandlesticksPeriodIntervalEnum,
  type GetMarketsStatusEnum,
  HistoricalApi,
  MarketApi,
} from "kalshi-typescript";
import { type KalshiRequest, type RequestTarget, requestTarget } from "./requests.ts";
import { type RetryEvent, type RetryPolicy, TransientError, withRetry } from "./retry.ts";
import type { SleepFn, TokenBucket } from "./token_bucket.ts";

/** The client's per-call request options (axios config; axios itself is not imported). */
type RequestOptions = NonNullable<Parameters<MarketApi["getSeries"]>[2]>;
/** The part of the client's (axios) response this wrapper reads. */
interface ClientResponse {
  readonly status: number;
  readonly data: unknown;
  readonly config: { readonly url?: string };
}

/** Kalshi's production REST base (DOMAIN.md). */
export const PRODUCTION_BASE_URL = "https://external-api.kalshi.com/trade-api/v2";
/** Kalshi's demo REST base. */
export const DEMO_BASE_URL = "https://external-api.demo.kalshi.co/trade-api/v2";

/** A response as received: its request, status, raw body text and parsed body. */
export interface RawResponse {
  readonly target: RequestTarget;
  readonly status: number;
  /** The body exactly as received (after content decoding). */
  readonly bodyText: string;
  /** The body parsed as JSON (always an object). */
  readonly body: Record<string, unknown>;
  /** When the response arrived (the injected clock, ms). */
  readonly fetchedAt: number;
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
}

/** A retry report with the request it concerns. */
export interface ClientRetryEvent extends RetryEvent {
  readonly target: RequestTarget;
}

/** Options of {@link KalshiReadClient}. */
export interface KalshiReadClientOptions {
  /** REST base including `/trade-api/v2`, e.g. {@link PRODUCTION_BASE_URL}. */
  readonly baseUrl: string;
  readonly bucket: TokenBucket;
  readonly retry: RetryPolicy;
  /** Uniform [0, 1) source for the backoff jitter. */
  readonly random: () => number;
  readonly sleep: SleepFn;
  /** Clock for `fetchedAt`, ms since the epoch. */
  readonly now: () => number;
  /** Per-attempt timeout, ms (0: none). Default 30 000. */
  readonly timeoutMs?: number;
  /** Called before every retry. */
  readonly onRetry?: (event: ClientRetryEvent) => void;
  /** Called before every attempt goes on the wire (after the bucket's wait). */
  readonly onAttempt?: (target: RequestTarget, attempt: number) => void;
}

/** Checks and normalizes a base URL (http or https, no trailing slash, no query). */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(
      `Cannot use base URL: not an absolute URL, current value is ${JSON.stringify(baseUrl)}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RangeError(
      `Cannot use base URL: protocol must be http or https, current value is ${url.protocol}`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new RangeError(
      `Cannot use base URL: it must have no query or fragment, current value is ${baseUrl}`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** Read-only Kalshi REST client; see the module docs. */
export class KalshiReadClient {
  readonly baseUrl: string;
  readonly #opts: KalshiReadClientOptions;
  readonly #markets: MarketApi;
  readonly #events: EventsApi;
  readonly #historical: HistoricalApi;
  readonly #loopback: boolean;

  constructor(options: KalshiReadClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      throw new RangeError(
        `Cannot create Kalshi client: timeoutMs must be an integer >= 0, current value is ${timeoutMs}`,
      );
    }
    this.#opts = { ...options, timeoutMs };
    const host = new URL(this.baseUrl).hostname;
    this.#loopback = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
    // No apiKey / private key: the client then signs nothing (public market data).
    const config = new Configuration({ basePath: this.baseUrl });
    this.#markets = new MarketApi(config);
    this.#events = new EventsApi(config);
    this.#historical = new HistoricalApi(config);
  }

  /**
   * Performs one read, paced and retried.
   *
   * @throws The last error when the request fails for good: a
   *   RetryExhaustedError after the retries, the client's error for a
   *   non-retryable status (its message names the status), or the abort reason.
   */
  async get(req: KalshiRequest, signal?: AbortSignal): Promise<RawResponse> {
    const target = requestTarget(req);
    const o = this.#opts;
    let attempts = 0;
    const res = await withRetry(async (n) => {
      attempts = n;
      await o.bucket.take(o.sleep, signal);
      o.onAttempt?.(target, n);
      const r = await this.#call(req, {
        responseType: "text",
        transformResponse: [(d: unknown) => d],
        timeout: o.timeoutMs,
        signal,
        // A loopback server (the mock exchange) is never reached through an HTTP(S)_PROXY.
        ...(this.#loopback ? { proxy: false as const } : {}),
      });
      return this.#check(target, r);
    }, {
      policy: o.retry,
      random: o.random,
      sleep: o.sleep,
      signal,
      label: `GET ${target.path}`,
      onRetry: (e) => o.onRetry?.({ ...e, target }),
    });
    return { ...res, attempts };
  }

  #check(
    target: RequestTarget,
    r: ClientResponse,
  ): Omit<RawResponse, "attempts"> {
    const sent = new URL(String(r.config.url));
    const expectedPath = new URL(this.baseUrl + target.path).pathname;
    const sentQuery = Object.fromEntries(sent.searchParams);
    if (
      sent.pathname !== expectedPath ||
      JSON.stringify(Object.entries(sentQuery).sort()) !==
        JSON.stringify(Object.entries(target.query).sort())
    ) {
      throw new Error(
        `Cannot trust response: the client requested ${sent.pathname}${sent.search} but the cache key is ${expectedPath} ${
          JSON.stringify(target.query)
        }, current value is a mismatch`,
      );
    }
    const text = r.data;
    if (typeof text !== "string") {
      throw new TransientError(
        `response body of GET ${target.path} is not text, current value is ${typeof text}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new TransientError(
        `response body of GET ${target.path} is not complete JSON (${text.length} chars): ${
          (e as Error).message
        }`,
      );
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new Error(
        `Cannot use response of GET ${target.path}: body must be a JSON object, current value is ${
          text.slice(0, 80)
        }`,
      );
    }
    return {
      target,
      status: r.status,
      bodyText: text,
      body: body as Record<string, unknown>,
      fetchedAt: this.#opts.now(),
    };
  }

  #call(req: KalshiRequest, opt: RequestOptions): Promise<ClientResponse> {
    const m = this.#markets;
    const h = this.#historical;
    switch (req.endpoint) {
      case "series":
        return m.getSeries(req.seriesTicker, undefined, opt);
      case "events":
        return this.#events.getEvents(
          req.limit,
          req.cursor,
          undefined,
          undefined,
          req.status,
          req.seriesTicker,
          req.tickers,
          req.minCloseTs,
          undefined,
          opt,
        );
      case "markets":
        return m.getMarkets(
          req.limit,
          req.cursor,
          req.eventTicker,
          req.seriesTicker,
          undefined,
          undefined,
          undefined,
          req.maxCloseTs,
          req.minCloseTs,
          undefined,
          undefined,
          req.status as GetMarketsStatusEnum | undefined,
          undefined,
          undefined,
          opt,
        );
      case "trades":
        return m.getTrades(req.limit, req.cursor, req.ticker, req.minTs, req.maxTs, undefined, opt);
      case "candlesticks":
        return m.getMarketCandlesticks(
          req.seriesTicker,
          req.ticker,
          req.startTs,
          req.endTs,
          req.periodInterval as GetMarketCandlesticksPeriodIntervalEnum,
          undefined,
          opt,
        );
      case "historical_cutoff":
        return h.getHistoricalCutoff(opt);
      case "historical_markets":
        return h.getHistoricalMarkets(
          req.limit,
          req.cursor,
          undefined,
          req.eventTicker,
          req.seriesTicker,
          undefined,
          opt,
        );
      case "historical_trades":
        return h.getTradesHistorical(
          req.ticker,
          req.minTs,
          req.maxTs,
          req.limit,
          req.cursor,
          undefined,
          opt,
        );
      case "historical_candlesticks":
        return h.getMarketCandlesticksHistorical(
          req.ticker,
          req.startTs,
          req.endTs,
          req.periodInterval as GetMarketCandlesticksHistoricalPeriodIntervalEnum,
          opt,
        );
    }
  }
}
