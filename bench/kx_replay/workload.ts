/**
 * The KX-REPLAY workload (bench/KX_REPLAY.md, "Tape"): a seeded synthetic tape of
 * 28 mutually exclusive events (200 markets) with underlying ticks, quotes and
 * trades, generated on the fly and never committed.
 *
 * {@link workloadEvents} is the one definition of the sequence; {@link writeWorkload}
 * streams the same events to an NDJSON file through `formatEventLine`, so the two
 * can never drift apart.
 *
 * @example
 * ```ts
 * const { events, bytes } = await writeWorkload("out/kx.ndjson", { seed: 1, events: 1_000_000 });
 * ```
 *
 * @module
 */

import { Prng } from "../../lib/random/prng.ts";
import { normal } from "../../lib/pricing/distribution.ts";
import { formatEventLine } from "../../lib/tape/ndjson_writer.ts";
import type { MarketEvent, TapeEvent } from "../../lib/tape/events.ts";

/** Workload parameters. */
export interface WorkloadOptions {
  /** Seed of the `Prng` that draws everything. */
  seed: number;
  /** Number of lines (events) of the tape, header and footer included. */
  events: number;
}

/** First timestamp; line i of the tape has ts = T0 + i. */
export const T0: number = Date.UTC(2026, 0, 5, 14, 0);
/** The series ticker. */
export const SERIES = "KXBENCH";
/** Number of events (ladders). */
export const EVENT_COUNT = 28;
/** Number of markets over all events. */
export const MARKET_COUNT = 200;
/** Lines before the body: series, events, markets, lifecycle open. */
export const HEADER_LINES: number = 1 + EVENT_COUNT + MARKET_COUNT + MARKET_COUNT;
/** Lines after the body: lifecycle closed and settlement of every market. */
export const FOOTER_LINES: number = 2 * MARKET_COUNT;
/** Smallest valid `events` (an empty body). */
export const MIN_EVENTS: number = HEADER_LINES + FOOTER_LINES;
/** Standard deviation of the generator's fair-value distribution around v_k. */
const GEN_SD = 3;

/** One market of the workload, in header order. */
export interface WorkloadMarket {
  readonly ticker: string;
  /** Index of its event, 0..27. */
  readonly event: number;
  /** YES interval [lo, hi): lo = -Infinity for `-L`, hi = +Infinity for `-G`. */
  readonly lo: number;
  readonly hi: number;
}

const pad2 = (k: number) => (k < 10 ? `0${k}` : String(k));

/** Event ticker of event k (`KXBENCH-E07`). */
export function eventTicker(k: number): string {
  return `${SERIES}-E${pad2(k)}`;
}

/** Underlying symbol of event k (`U07`). */
export function underlyingSymbol(k: number): string {
  return `U${pad2(k)}`;
}

/** Number of markets of event k: 8 for events 0-3, 7 for the others. */
export function marketsOfEvent(k: number): number {
  return k < 4 ? 8 : 7;
}

/** Boundaries b_0 .. b_{m-2} of an event with m markets: 100 + 2 (j - (m - 2) / 2). */
export function boundaries(m: number): number[] {
  const b: number[] = [];
  for (let j = 0; j <= m - 2; j++) b.push(100 + 2 * (j - (m - 2) / 2));
  return b;
}

/** The 200 markets in header order (events in order, each ladder low to high). */
export function workloadMarkets(): WorkloadMarket[] {
  const out: WorkloadMarket[] = [];
  for (let k = 0; k < EVENT_COUNT; k++) {
    const m = marketsOfEvent(k);
    const b = boundaries(m);
    const e = eventTicker(k);
    out.push({ ticker: `${e}-L`, event: k, lo: -Infinity, hi: b[0] });
    for (let j = 0; j <= m - 3; j++) {
      out.push({ ticker: `${e}-B${j}`, event: k, lo: b[j], hi: b[j + 1] });
    }
    out.push({ ticker: `${e}-G`, event: k, lo: b[m - 2], hi: Infinity });
  }
  return out;
}

function marketEvent(mk: WorkloadMarket, ts: number, closeTs: number): MarketEvent {
  const base = { kind: "market", ts, market: mk.ticker, event: eventTicker(mk.event) } as const;
  const times = { openTs: T0, closeTs, priceStep: 100 };
  if (mk.lo === -Infinity) return { ...base, strikeType: "less", capStrike: mk.hi, ...times };
  if (mk.hi === Infinity) {
    return { ...base, strikeType: "greater_or_equal", floorStrike: mk.lo, ...times };
  }
  return {
    ...base,
    strikeType: "between",
    floorStrike: mk.lo,
    capStrike: mk.hi,
    capInclusive: false,
    ...times,
  };
}

function checkOptions(o: WorkloadOptions): void {
  if (!Number.isSafeInteger(o.events) || o.events < MIN_EVENTS) {
    throw new RangeError(
      `Cannot generate KX-REPLAY workload: events must be an integer >= ${MIN_EVENTS}, current value is ${o.events}`,
    );
  }
}

/**
 * The workload's events in tape order (bench/KX_REPLAY.md). Deterministic in
 * `seed` and `events`; memory is bounded (a generator: nothing is kept).
 *
 * @throws {RangeError} when `events` is below {@link MIN_EVENTS}.
 */
export function* workloadEvents(o: WorkloadOptions): Generator<TapeEvent> {
  checkOptions(o);
  const n = o.events;
  const closeTs = T0 + n;
  const rng = new Prng(o.seed);
  const markets = workloadMarkets();
  let line = 0;

  yield {
    kind: "series",
    ts: T0 + line++,
    series: SERIES,
    feeType: "quadratic",
    feeMultiplier: 10000,
  };
  for (let k = 0; k < EVENT_COUNT; k++) {
    yield {
      kind: "event",
      ts: T0 + line++,
      event: eventTicker(k),
      series: SERIES,
      mutuallyExclusive: true,
    };
  }
  for (const mk of markets) yield marketEvent(mk, T0 + line++, closeTs);
  for (const mk of markets) {
    yield { kind: "lifecycle", ts: T0 + line++, market: mk.ticker, status: "open" };
  }

  // Per-event underlying value; per-market generator fair value (recomputed lazily
  // for an event after its value moves) and last quote.
  const v = new Float64Array(EVENT_COUNT).fill(100);
  const dirty = new Uint8Array(EVENT_COUNT).fill(1);
  const firstMarket = new Int32Array(EVENT_COUNT + 1);
  for (let k = 0; k < EVENT_COUNT; k++) firstMarket[k + 1] = firstMarket[k] + marketsOfEvent(k);
  const fair = new Float64Array(MARKET_COUNT);
  const lastBid = new Int32Array(MARKET_COUNT);
  const lastAsk = new Int32Array(MARKET_COUNT);
  const symbols = Array.from({ length: EVENT_COUNT }, (_, k) => underlyingSymbol(k));

  const refresh = (k: number) => {
    const d = normal(v[k], GEN_SD);
    for (let i = firstMarket[k]; i < firstMarket[k + 1]; i++) {
      const mk = markets[i];
      const fHi = mk.hi === Infinity ? 1 : d.cdf(mk.hi);
      const fLo = mk.lo === -Infinity ? 0 : d.cdf(mk.lo);
      fair[i] = fHi - fLo;
    }
    dirty[k] = 0;
  };

  const bodyEnd = n - FOOTER_LINES;
  while (line < bodyEnd) {
    const ts = T0 + line++;
    const u = rng.next();
    if (u < 0.10) {
      const k = rng.int(EVENT_COUNT);
      const x = Math.round((v[k] + 0.05 * rng.normal()) * 10000) / 10000;
      v[k] = x;
      dirty[k] = 1;
      yield { kind: "underlying", ts, symbol: symbols[k], value: x };
    } else if (u < 0.80) {
      const i = rng.int(MARKET_COUNT);
      const k = markets[i].event;
      if (dirty[k] === 1) refresh(k);
      let f = fair[i] + 0.03 * rng.normal();
      f = f < 0.02 ? 0.02 : f > 0.98 ? 0.98 : f;
      const half = 1 + rng.int(2);
      let bid = Math.round(f * 100) - half;
      const maxBid = 99 - 2 * half;
      bid = bid < 1 ? 1 : bid > maxBid ? maxBid : bid;
      const ask = bid + 2 * half;
      const bidSize = (1 + rng.int(50)) * 100;
      const askSize = (1 + rng.int(50)) * 100;
      lastBid[i] = bid * 100;
      lastAsk[i] = ask * 100;
      yield {
        kind: "quote",
        ts,
        market: markets[i].ticker,
        yesBid: bid * 100,
        yesAsk: ask * 100,
        yesBidSize: bidSize,
        yesAskSize: askSize,
      };
    } else {
      const i = rng.int(MARKET_COUNT);
      const yes = rng.next() < 0.5;
      const count = (1 + rng.int(20)) * 100;
      const quoted = lastAsk[i] !== 0;
      const price = !quoted ? 5000 : yes ? lastAsk[i] : lastBid[i];
      yield {
        kind: "trade",
        ts,
        market: markets[i].ticker,
        price,
        count,
        takerSide: yes ? "yes" : "no",
      };
    }
  }

  for (const mk of markets) {
    yield { kind: "lifecycle", ts: T0 + line++, market: mk.ticker, status: "closed" };
  }
  for (const mk of markets) {
    const x = v[mk.event];
    const yes = x >= mk.lo && x < mk.hi;
    yield {
      kind: "settlement",
      ts: T0 + line++,
      market: mk.ticker,
      result: yes ? "yes" : "no",
      expirationValue: x,
    };
  }
}

/** Characters gathered before one write. */
const FLUSH_CHARS = 1 << 20;

/**
 * Streams the workload to an NDJSON file (created or truncated) with buffered
 * writes; memory stays bounded whatever `events` is.
 *
 * @returns lines written, bytes written and the number of lines of each kind.
 * @throws {RangeError} when `events` is below {@link MIN_EVENTS}.
 */
export async function writeWorkload(
  path: string,
  o: WorkloadOptions,
): Promise<{ events: number; bytes: number; counts: Record<string, number> }> {
  checkOptions(o);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  const counts: Record<string, number> = {};
  let buf = "";
  let events = 0;
  let bytes = 0;
  const flush = async () => {
    let data = encoder.encode(buf);
    buf = "";
    bytes += data.length;
    while (data.length > 0) data = data.subarray(await file.write(data));
  };
  try {
    for (const ev of workloadEvents(o)) {
      buf += formatEventLine(ev) + "\n";
      counts[ev.kind] = (counts[ev.kind] ?? 0) + 1;
      events++;
      if (buf.length >= FLUSH_CHARS) await flush();
    }
    if (buf.length > 0) await flush();
  } finally {
    file.close();
  }
  return { events, bytes, counts };
}
