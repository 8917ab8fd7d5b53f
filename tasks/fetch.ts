/**
 * `deno task fetch`: pull a series' markets (and optionally trades,
 * candlesticks and the historical tier) from Kalshi's public REST API with the
 * official `kalshi-typescript` client, cache every raw response, and write a
 * tape with the `kalshi-json` importer. Run with --help for usage; see
 * docs/FETCH.md for the cache and resume layout.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { tapeFormOf, writeTapeFile } from "../lib/tape/tape_file.ts";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findImporter } from "../lib/import/registry.ts";
import { formatReport } from "../lib/import/report.ts";
import { type Importer, ImportError, type ImportReport } from "../lib/import/types.ts";
import { KalshiReadClient, normalizeBaseUrl, PRODUCTION_BASE_URL } from "../lib/kalshi/client.ts";
import { FetchJournal, type JsonValue } from "../lib/kalshi/fetch_journal.ts";
import { checkPlan, type FetchPlan, type PlanResult, runPlan } from "../lib/kalshi/fetch_plan.ts";
import { FetchSession, type Page } from "../lib/kalshi/fetch_session.ts";
import { selectForImport } from "../lib/kalshi/import_select.ts";
import {
  MARKETS_STATUS_FILTERS,
  type MarketsStatusFilter,
  MAX_PAGE_LIMIT,
  type PeriodInterval,
} from "../lib/kalshi/requests.ts";
import { ResponseCache } from "../lib/kalshi/response_cache.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../lib/kalshi/retry.ts";
import { type SleepFn, TokenBucket } from "../lib/kalshi/token_bucket.ts";
import { Prng } from "../lib/random/prng.ts";
import { TapeError } from "../lib/tape/errors.ts";

const HELP = `deno task fetch --series SERIES --cache DIR [--out TAPE] [options]

Fetches from Kalshi's public REST API (no credentials needed) with the official
kalshi-typescript client: the series, its events, its markets (every page,
cursor pagination until the cursor is empty), and optionally each market's
trades and candlesticks and the historical tier. Every response is cached raw
in DIR/responses/ (one file per request) and every completed request is
journaled in DIR/journal.ndjson, so an interrupted fetch, run again with the
same options, resumes where it stopped (no duplicate, no lost market), and a
repeated fetch is served from the cache. With --out, the cached responses are
then imported with the kalshi-json importer, validated, and written as a tape
(the form follows the extension: .ndjson/.jsonl, .kxc, .sqlite/.db; written to
TAPE.tmp and renamed when complete).

Options:
  --series TICKER     series to fetch (required), e.g. KXHIGHNY
  --event TICKER      only this event of the series
  --status STATUS     markets with this status: ${MARKETS_STATUS_FILTERS.join(", ")}
  --from DATE         markets closing at or after DATE (YYYY-MM-DD = 00:00 UTC,
                      or an ISO time with Z or an offset)
  --to DATE           markets closing before DATE (a YYYY-MM-DD date counts whole)
  --trades            also fetch every selected market's trades
  --candles PERIOD    also fetch candlesticks: 1m, 1h or 1d
  --historical        also fetch the historical tier (/historical/cutoff,
                      /historical/markets, /historical/trades, candlesticks)
  --cache DIR         cache and journal folder (required)
  --out TAPE          write the tape here (omit to only fill the cache)
  --base-url URL      REST base (default ${PRODUCTION_BASE_URL};
                      a local mock: http://127.0.0.1:PORT/trade-api/v2)
  --rate N            requests per second at most (default 20, Kalshi's Basic
                      tier read limit)
  --limit N           page size asked for (1..${MAX_PAGE_LIMIT}, default ${MAX_PAGE_LIMIT})
  --refresh           ignore cached responses this run did not fetch itself
  --lenient           import bad records as rejects instead of stopping
  -h, --help          show this help

Progress (pages, retries, rate) goes to stderr; the summary and the import
report to stdout. Throttling (HTTP 429), server errors (5xx) and dropped
connections are retried with exponential backoff and jitter.

Exit status: 0 on success, 1 when the fetch or the import fails (or is
interrupted: run the same command again to resume), 2 on a usage error.
`;

/** A usage error: exit status 2. */
class UsageError extends Error {}

/** The parsed command line. */
export interface FetchJob {
  readonly plan: FetchPlan;
  readonly cacheDir: string;
  readonly out?: string;
  readonly baseUrl: string;
  readonly rate: number;
  readonly refresh: boolean;
  readonly strict: boolean;
}

/** Injected clock, sleep, randomness and output (tests pass fakes). */
export interface FetchDeps {
  /** Wall clock, ms (journal as_of, fetched_at, token bucket). Default Date.now. */
  readonly now?: () => number;
  readonly sleep?: SleepFn;
  /** Uniform [0, 1) for the backoff jitter. Default: a Prng seeded from the clock. */
  readonly random?: () => number;
  /** Interrupts the run (default: SIGINT). */
  readonly signal?: AbortSignal;
  readonly stderr?: (line: string) => void;
  readonly stdout?: (line: string) => void;
  /** The importer for --out (default: the registry's "kalshi-json"). */
  readonly importer?: Importer;
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout, ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Called after every page (tests use it to interrupt a run). */
  readonly onPage?: (page: Page, n: number) => void;
}

/** What a run did. */
export interface FetchOutcome {
  readonly plan: PlanResult;
  readonly counts: { network: number; cache: number; journal: number };
  readonly retries: number;
  readonly journal: string;
  readonly report?: ImportReport;
}

const DAY = 86_400_000;

/** Parses --from / --to: a date (00:00 UTC; for `end`, the next day) or an ISO time with a zone. */
export function parseDateOption(name: string, v: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    if (Number.isFinite(ms) && new Date(ms).toISOString().startsWith(v)) return end ? ms + DAY : ms;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(
    `Cannot read --${name}: not YYYY-MM-DD or an ISO time with Z or an offset, current value is ${
      JSON.stringify(v)
    }`,
  );
}

const CANDLES: Readonly<Record<string, PeriodInterval>> = {
  "1m": 1,
  "1h": 60,
  "1d": 1440,
  "1": 1,
  "60": 60,
  "1440": 1440,
};

/**
 * Parses the command line into a job, or null for --help.
 *
 * @throws {UsageError} naming the bad option.
 */
export function parseFetchArgs(args: readonly string[]): FetchJob | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        series: { type: "string" },
        event: { type: "string" },
        status: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        trades: { type: "boolean", default: false },
        candles: { type: "string" },
        historical: { type: "boolean", default: false },
        cache: { type: "string" },
        out: { type: "string" },
        "base-url": { type: "string" },
        rate: { type: "string" },
        limit: { type: "string" },
        refresh: { type: "boolean", default: false },
        lenient: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  if (v.series === undefined) throw new UsageError("Cannot fetch: --series TICKER is required");
  if (v.cache === undefined) throw new UsageError("Cannot fetch: --cache DIR is required");
  if (
    v.status !== undefined && !(MARKETS_STATUS_FILTERS as readonly string[]).includes(v.status)
  ) {
    throw new UsageError(
      `Cannot read --status: must be one of ${
        MARKETS_STATUS_FILTERS.join(", ")
      }, current value is ${v.status}`,
    );
  }
  let candles: PeriodInterval | undefined;
  if (v.candles !== undefined) {
    candles = CANDLES[v.candles];
    if (candles === undefined) {
      throw new UsageError(
        `Cannot read --candles: must be 1m, 1h or 1d, current value is ${v.candles}`,
      );
    }
  }
  const rate = v.rate === undefined ? 20 : Number(v.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
    throw new UsageError(
      `Cannot read --rate: must be a number in (0, 1000], current value is ${v.rate}`,
    );
  }
  const limit = v.limit === undefined ? MAX_PAGE_LIMIT : Number(v.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new UsageError(
      `Cannot read --limit: must be an integer in 1..${MAX_PAGE_LIMIT}, current value is ${v.limit}`,
    );
  }
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(v["base-url"] ?? PRODUCTION_BASE_URL);
  } catch (e) {
    throw new UsageError(`Cannot read --base-url: ${(e as Error).message}`);
  }
  if (v.out !== undefined && tapeFormOf(v.out) === null) {
    throw new UsageError(
      `Cannot write tape: unknown form of --out (use .ndjson, .jsonl, .kxc, .sqlite or .db), current value is ${
        JSON.stringify(v.out)
      }`,
    );
  }
  const plan: FetchPlan = {
    seriesTicker: v.series,
    ...(v.event !== undefined ? { eventTicker: v.event } : {}),
    ...(v.status !== undefined ? { status: v.status as MarketsStatusFilter } : {}),
    ...(v.from !== undefined ? { fromMs: parseDateOption("from", v.from, false) } : {}),
    ...(v.to !== undefined ? { toMs: parseDateOption("to", v.to, true) } : {}),
    trades: v.trades,
    ...(candles !== undefined ? { candles } : {}),
    historical: v.historical,
    pageLimit: limit,
  };
  try {
    checkPlan(plan);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    plan,
    cacheDir: v.cache,
    ...(v.out !== undefined ? { out: v.out } : {}),
    baseUrl,
    rate,
    refresh: v.refresh,
    strict: !v.lenient,
  };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The journal parameters: what makes two runs the same run (not rate or refresh). */
function journalParams(job: FetchJob): JsonValue {
  const p = job.plan;
  return {
    base_url: job.baseUrl,
    series: p.seriesTicker,
    event: p.eventTicker ?? null,
    status: p.status ?? null,
    from_ms: p.fromMs ?? null,
    to_ms: p.toMs ?? null,
    trades: p.trades,
    candles: p.candles ?? null,
    historical: p.historical,
    limit: p.pageLimit ?? MAX_PAGE_LIMIT,
  };
}

/**
 * Runs a fetch job: fetch (resuming a journaled run), then import and write
 * the tape when `job.out` is set.
 *
 * @throws the fetch's or the import's error; the journal keeps what was done.
 */
export async function runFetch(job: FetchJob, deps: FetchDeps = {}): Promise<FetchOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const err = deps.stderr ?? ((l: string) => console.error(l));
  const random = deps.random ?? (() => {
    const rng = new Prng(now() % 4294967296);
    return () => rng.next();
  })();
  let importer: Importer | undefined;
  if (job.out !== undefined) {
    importer = deps.importer ?? findImporter("kalshi-json");
    if (importer === undefined) {
      throw new Error(
        "Cannot write tape: no importer named kalshi-json is registered in lib/import/registry.ts, current value is undefined",
      );
    }
  }
  const journal = await FetchJournal.open(
    join(job.cacheDir, "journal.ndjson"),
    journalParams(job),
    now,
  );
  const cache = new ResponseCache(join(job.cacheDir, "responses"));
  err(
    `fetch: ${job.plan.seriesTicker} from ${job.baseUrl}, cache ${job.cacheDir}, journal ${journal.reason}` +
      (journal.reason === "resumed" ? ` (${journal.entries.length} requests done)` : "") +
      (journal.detail !== "" ? ` (${journal.detail})` : ""),
  );
  const started = now();
  let retries = 0;
  let pagesSeen = 0;
  const client = new KalshiReadClient({
    baseUrl: job.baseUrl,
    bucket: new TokenBucket({ ratePerSecond: job.rate, now }),
    retry: deps.retry ?? DEFAULT_RETRY_POLICY,
    random,
    sleep,
    now,
    timeoutMs: deps.timeoutMs ?? 30_000,
    onRetry: (e) => {
      retries++;
      err(
        `fetch: retry GET ${e.target.path} after ${e.reason} (attempt ${e.attempt} failed), waiting ${e.delayMs} ms`,
      );
    },
  });
  const session = new FetchSession({
    client,
    cache,
    journal,
    refresh: job.refresh,
    signal: deps.signal,
    onWarning: (w) => err(`fetch: warning: ${w}`),
    onPage: (p) => {
      pagesSeen++;
      if (p.from === "network") {
        const secs = Math.max(0.001, (now() - started) / 1000);
        const rate = (session.counts.network / secs).toFixed(1);
        const key = p.entry.key.length > 110 ? p.entry.key.slice(0, 107) + "..." : p.entry.key;
        err(`fetch: [${pagesSeen}] GET ${key} -> ${p.entry.items} items (${rate} req/s)`);
      } else if (pagesSeen % 200 === 0) {
        err(
          `fetch: [${pagesSeen}] pages so far (${session.counts.cache} from cache, ${session.counts.journal} from the journal)`,
        );
      }
      deps.onPage?.(p, pagesSeen);
    },
  });
  const plan = await runPlan(job.plan, session, {
    asOfMs: journal.asOf,
    onStage: (s) => {
      const m = /^market (\d+)\/(\d+) /.exec(s);
      if (m === null) return err(`fetch: stage ${s}`);
      // Per-market stages: the first, every 50th and the last.
      const i = Number(m[1]);
      if (i === 1 || i % 50 === 0 || i === Number(m[2])) err(`fetch: stage ${s}`);
    },
  });
  await journal.complete(now());
  const live = [...plan.markets.values()].filter((m) => m.tier === "live").length;
  const out = deps.stdout ?? ((l: string) => console.log(l));
  const c = session.counts;
  out(
    [
      `fetched ${job.plan.seriesTicker} from ${job.baseUrl}: ${
        c.network + c.cache + c.journal
      } requests ` +
      `(${c.network} network, ${c.cache} cache, ${c.journal} journal), ${retries} retries`,
      `markets: ${plan.markets.size} (${live} live, ${plan.markets.size - live} historical), ` +
      `events: ${plan.events.size}, trades: ${plan.trades}, candlesticks: ${plan.candles}` +
      (plan.duplicateMarkets + plan.duplicateTrades > 0
        ? `, duplicates dropped: ${plan.duplicateMarkets} markets, ${plan.duplicateTrades} trades`
        : ""),
      `pages: ${Object.entries(plan.pages).map(([k, n]) => `${k} ${n}`).join(", ")}`,
      `journal: ${journal.file} (complete)`,
    ].join("\n"),
  );
  let report: ImportReport | undefined;
  if (job.out !== undefined && importer !== undefined) {
    report = await writeFetchedTape(job, plan, importer);
    out(`wrote ${job.out}\n${formatReport(report)}`);
  }
  return { plan, counts: { ...c }, retries, journal: journal.file, report };
}

/** Imports the run's envelopes (trimmed to its selection), validates, writes TAPE.tmp, renames. */
async function writeFetchedTape(
  job: FetchJob,
  plan: PlanResult,
  importer: Importer,
): Promise<ImportReport> {
  const out = job.out!;
  const files = await Promise.all(
    plan.files.map(async (name) => ({ name, text: await readFile(name, "utf8") })),
  );
  const selection = {
    markets: new Set(plan.markets.keys()),
    events: new Set([...plan.markets.values()].map((m) => m.eventTicker)),
  };
  const { inputs } = selectForImport(files, selection);
  const { events, report } = importer.run(inputs, { strict: job.strict, extra: {} });
  await writeTapeFile(out, events, `${out} (produced by ${importer.name})`);
  return report;
}

/** A one-line message for a failure; an HTTP error names the request and Kalshi's error body. */
export function describeError(e: unknown): string {
  const r = (e as { response?: { status?: unknown; data?: unknown } }).response;
  const url = (e as { config?: { url?: unknown } }).config?.url;
  if (r !== undefined && typeof r.status === "number") {
    let detail = "";
    try {
      const body = typeof r.data === "string" ? JSON.parse(r.data) : r.data;
      const er = body?.error ?? body;
      if (er?.code !== undefined || er?.message !== undefined) {
        detail = ` (${[er.code, er.message].filter((x) => x !== undefined).join(": ")})`;
      }
    } catch {
      // not JSON: no detail
    }
    let where = "";
    try {
      const u = new URL(String(url));
      where = ` GET ${u.pathname}${u.search}`;
    } catch {
      // no URL
    }
    return `Cannot fetch${where}: the server answered HTTP ${r.status}${detail}, current value is ${r.status}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Runs the task; returns the exit status (0 ok, 1 fetch or import failure, 2 usage error). */
export async function main(args: readonly string[], deps: FetchDeps = {}): Promise<number> {
  const err = deps.stderr ?? ((l: string) => console.error(l));
  let job: FetchJob | null;
  try {
    job = parseFetchArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n\nRun "deno task fetch --help" for usage.`);
      return 2;
    }
    throw e;
  }
  if (job === null) {
    (deps.stdout ?? ((l: string) => console.log(l)))(HELP);
    return 0;
  }
  let signal = deps.signal;
  let stopListening = () => {};
  if (signal === undefined) {
    const ac = new AbortController();
    const onInt = () => ac.abort(new Error("interrupted by SIGINT"));
    Deno.addSignalListener("SIGINT", onInt);
    stopListening = () => Deno.removeSignalListener("SIGINT", onInt);
    signal = ac.signal;
  }
  try {
    await runFetch(job, { ...deps, signal });
    return 0;
  } catch (e) {
    if (signal.aborted) {
      err(
        `error: fetch interrupted (${(signal.reason as Error)?.message ?? signal.reason}); ` +
          `the journal in ${job.cacheDir} keeps the completed requests: run the same command again to resume`,
      );
      return 1;
    }
    if (e instanceof ImportError || e instanceof TapeError) {
      err(`error: ${e.message}`);
      return 1;
    }
    err(`error: ${describeError(e)}`);
    return 1;
  } finally {
    stopListening();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
