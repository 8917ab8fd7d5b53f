/**
 * Ladders: the ordered outcome bins of an event and which bins each of its markets
 * settles YES on.
 *
 * A mutually exclusive event (bucket ladders: KXHIGHNY, KXINX ranges, KXCPI) has one
 * bin per market, and the markets must partition the outcome line. A non-exclusive
 * event (threshold ladders: KXBTCD "above K", KXINXU) is cut into the elementary
 * intervals between all strikes; each market then covers a contiguous run of them.
 *
 * @module
 */

import type { EventEvent, MarketEvent, Side } from "../tape/events.ts";
import {
  compareIntervals,
  formatInterval,
  type Interval,
  intervalContains,
  intervalGridRange,
  marketInterval,
} from "./interval.ts";

/**
 * The ordered outcome bins of an event and the bins each market is YES on.
 *
 * @example
 * ```ts
 * const ladder = buildLadder(event, markets);
 * const i = ladder.marketIndex.get("KXHIGHNY-25NOV24-B45.5")!;
 * // market i is YES exactly on bins ladder.binStart[i] .. ladder.binEnd[i] - 1
 * ```
 */
export interface Ladder {
  readonly event: string;
  readonly series: string;
  readonly mutuallyExclusive: boolean;
  /** Precision at which the outcome is reported; undefined for a continuous outcome. */
  readonly outcomeStep?: number;
  /** Ordered low to high, together partitioning the outcome line (or its grid). */
  readonly bins: readonly Interval[];
  /** Tickers in ladder order. */
  readonly markets: readonly string[];
  /** Market i is YES exactly on bins [binStart[i], binEnd[i]). */
  readonly binStart: Int32Array;
  /** Market i is YES exactly on bins [binStart[i], binEnd[i]). */
  readonly binEnd: Int32Array;
  /** Ticker -> position in `markets`. */
  readonly marketIndex: ReadonlyMap<string, number>;
}

/**
 * One way in which a set of intervals fails to partition the outcome line.
 *
 * @example
 * ```ts
 * const p: PartitionProblem = {
 *   kind: "gap",
 *   between: ["KXHIGHNY-25NOV24-B45.5", "KXHIGHNY-25NOV24-B49.5"],
 *   detail: "no market covers the grid values 47..48",
 * };
 * ```
 */
export interface PartitionProblem {
  kind: "gap" | "overlap" | "open_low" | "open_high";
  between: [string, string] | [string];
  detail: string;
}

function describeProblem(p: PartitionProblem): string {
  switch (p.kind) {
    case "gap":
    case "overlap":
      return p.between.length === 2
        ? `${p.kind} between ${p.between[0]} and ${p.between[1]} (${p.detail})`
        : `${p.kind} at ${p.between[0]} (${p.detail})`;
    case "open_low":
      return `no lower tail: lowest market ${p.between[0]} (${p.detail})`;
    case "open_high":
      return `no upper tail: highest market ${p.between[0]} (${p.detail})`;
  }
}

/**
 * The markets of a mutually exclusive event do not partition the outcome line.
 * `problems` lists every problem found; the message names the event and markets.
 *
 * @example
 * ```ts
 * try {
 *   buildLadder(event, markets);
 * } catch (e) {
 *   if (e instanceof LadderError) console.log(e.event, e.problems.length);
 * }
 * ```
 */
export class LadderError extends Error {
  readonly event: string;
  readonly problems: readonly PartitionProblem[];

  constructor(event: string, problems: readonly PartitionProblem[]) {
    super(`Cannot build ladder for ${event}: ${problems.map(describeProblem).join(", ")}`);
    this.name = "LadderError";
    this.event = event;
    this.problems = problems;
  }
}

function fmtIdx(k: number, step: number): string {
  if (k === Infinity) return "+inf";
  if (k === -Infinity) return "-inf";
  // Print k * step without float noise (e.g. 453 * 0.1 -> 45.3).
  const decimals = Math.max(0, Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)));
  return Number((k * step).toFixed(decimals)).toString();
}

function checkContinuous(
  items: readonly { market: string; interval: Interval }[],
): PartitionProblem[] {
  const problems: PartitionProblem[] = [];
  const sorted = [...items].sort((a, b) =>
    compareIntervals(a.interval, b.interval) ||
    (a.market < b.market ? -1 : a.market > b.market ? 1 : 0)
  );
  const first = sorted[0];
  if (first.interval.lo !== -Infinity) {
    problems.push({
      kind: "open_low",
      between: [first.market],
      detail: `lowest interval is ${formatInterval(first.interval)}, values below ${
        first.interval.loInclusive ? "" : "or at "
      }${first.interval.lo} are not covered`,
    });
  }
  // Sweep with the frontier: the item reaching furthest up so far (handles nesting).
  let frontier = first;
  for (let i = 1; i < sorted.length; i++) {
    const cur = sorted[i];
    const f = frontier.interval;
    const c = cur.interval;
    const meetPoint = c.lo === f.hi;
    if (c.lo < f.hi || (meetPoint && c.loInclusive && f.hiInclusive)) {
      const lo = c.lo;
      const hi = Math.min(c.hi, f.hi);
      const loInc = c.loInclusive;
      const hiInc = c.hi < f.hi
        ? c.hiInclusive
        : f.hi < c.hi
        ? f.hiInclusive
        : c.hiInclusive && f.hiInclusive;
      problems.push({
        kind: "overlap",
        between: [frontier.market, cur.market],
        detail: `${frontier.market} ${formatInterval(f)} and ${cur.market} ${
          formatInterval(c)
        } both cover ${formatInterval({ lo, loInclusive: loInc, hi, hiInclusive: hiInc })}`,
      });
    } else if (c.lo > f.hi || (meetPoint && !c.loInclusive && !f.hiInclusive)) {
      const gap: Interval = {
        lo: f.hi,
        loInclusive: !f.hiInclusive,
        hi: c.lo,
        hiInclusive: !c.loInclusive,
      };
      problems.push({
        kind: "gap",
        between: [frontier.market, cur.market],
        detail: `no market covers ${
          meetPoint ? `the point ${c.lo}` : formatInterval(gap)
        }, between ${frontier.market} ${formatInterval(f)} and ${cur.market} ${formatInterval(c)}`,
      });
    }
    if (c.hi > f.hi || (c.hi === f.hi && c.hiInclusive && !f.hiInclusive)) frontier = cur;
  }
  if (frontier.interval.hi !== Infinity) {
    problems.push({
      kind: "open_high",
      between: [frontier.market],
      detail: `highest interval is ${formatInterval(frontier.interval)}, values above ${
        frontier.interval.hiInclusive ? "" : "or at "
      }${frontier.interval.hi} are not covered`,
    });
  }
  return problems;
}

function checkDiscrete(
  items: readonly { market: string; interval: Interval }[],
  step: number,
): PartitionProblem[] {
  const problems: PartitionProblem[] = [];
  const reachable: { market: string; first: number; last: number }[] = [];
  for (const it of items) {
    const { first, last } = intervalGridRange(it.interval, step);
    if (first <= last) reachable.push({ market: it.market, first, last });
  }
  if (reachable.length === 0) {
    return [{
      kind: "gap",
      between: [items[0].market],
      detail: `no market covers any value on the grid of step ${step}`,
    }];
  }
  reachable.sort((a, b) =>
    a.first - b.first || a.last - b.last || (a.market < b.market ? -1 : a.market > b.market ? 1 : 0)
  );
  const first = reachable[0];
  if (first.first !== -Infinity) {
    problems.push({
      kind: "open_low",
      between: [first.market],
      detail: `lowest reachable value is ${
        fmtIdx(first.first, step)
      }, values below are not covered`,
    });
  }
  let frontier = first;
  for (let i = 1; i < reachable.length; i++) {
    const cur = reachable[i];
    if (cur.first <= frontier.last) {
      problems.push({
        kind: "overlap",
        between: [frontier.market, cur.market],
        detail: `both cover the grid values ${fmtIdx(cur.first, step)}..${
          fmtIdx(Math.min(cur.last, frontier.last), step)
        }`,
      });
    } else if (cur.first > frontier.last + 1) {
      problems.push({
        kind: "gap",
        between: [frontier.market, cur.market],
        detail: `no market covers the grid values ${fmtIdx(frontier.last + 1, step)}..${
          fmtIdx(cur.first - 1, step)
        }`,
      });
    }
    if (cur.last > frontier.last) frontier = cur;
  }
  if (frontier.last !== Infinity) {
    problems.push({
      kind: "open_high",
      between: [frontier.market],
      detail: `highest reachable value is ${
        fmtIdx(frontier.last, step)
      }, values above are not covered`,
    });
  }
  return problems;
}

/**
 * Checks that the intervals partition the outcome line and returns every problem
 * (empty when they do). Intervals are taken in order of their lower end.
 *
 * Continuous outcome (no `outcomeStep`): adjacent intervals must meet exactly, with
 * exactly one of them including the meeting point. Discrete outcome (`outcomeStep`
 * given, values reported on the grid `k * outcomeStep`): every grid value must be
 * covered exactly once, so `[45, 46]` and `[47, 48]` meet for a step of 1. An
 * interval with no grid value in it is ignored. In both cases the lowest interval
 * must start at -inf (else `open_low`) and the highest end at +inf (else
 * `open_high`). An empty list gives one `gap` problem.
 *
 * @throws {RangeError} when `outcomeStep` is given and not a finite positive number.
 *
 * @example
 * ```ts
 * const problems = checkPartition([
 *   { market: "LOW", interval: { lo: -Infinity, loInclusive: false, hi: 44, hiInclusive: true } },
 *   { market: "MID", interval: { lo: 45, loInclusive: true, hi: 46, hiInclusive: true } },
 *   { market: "HIGH", interval: { lo: 46, loInclusive: false, hi: Infinity, hiInclusive: false } },
 * ], 1);
 * // problems = [] (the grid values ..44, 45, 46, 47.. are each covered once)
 * ```
 */
export function checkPartition(
  items: readonly { market: string; interval: Interval }[],
  outcomeStep?: number,
): PartitionProblem[] {
  if (outcomeStep !== undefined) validateStep(outcomeStep, "check partition");
  if (items.length === 0) {
    return [{
      kind: "gap",
      between: ["(no markets)"],
      detail: "no interval covers the outcome line",
    }];
  }
  return outcomeStep === undefined ? checkContinuous(items) : checkDiscrete(items, outcomeStep);
}

function validateStep(step: number, action: string): void {
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(
      `Cannot ${action}: outcome step must be a finite positive number, current value is ${step}`,
    );
  }
}

function byTicker(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether every value of `inner` lies in `outer`. */
function isSubset(inner: Interval, outer: Interval): boolean {
  const loOk = outer.lo < inner.lo ||
    (outer.lo === inner.lo && (outer.loInclusive || !inner.loInclusive));
  const hiOk = outer.hi > inner.hi ||
    (outer.hi === inner.hi && (outer.hiInclusive || !inner.hiInclusive));
  return loOk && hiOk;
}

/** The elementary intervals cut by every finite end of `intervals`. */
function elementaryBins(intervals: readonly Interval[]): Interval[] {
  // For each cut value: does some market put the value with the piece to its left,
  // and does some market put it with the piece to its right?
  const cuts = new Map<number, { left: boolean; right: boolean }>();
  const mark = (v: number, withRight: boolean) => {
    if (!Number.isFinite(v)) return;
    const c = cuts.get(v) ?? { left: false, right: false };
    if (withRight) c.right = true;
    else c.left = true;
    cuts.set(v, c);
  };
  for (const iv of intervals) {
    mark(iv.lo, iv.loInclusive);
    mark(iv.hi, !iv.hiInclusive);
  }
  const values = [...cuts.keys()].sort((a, b) => a - b);
  const bins: Interval[] = [];
  let lo = -Infinity;
  let loInclusive = false;
  for (const v of values) {
    const c = cuts.get(v)!;
    if (c.left && c.right) {
      bins.push({ lo, loInclusive, hi: v, hiInclusive: false });
      bins.push({ lo: v, loInclusive: true, hi: v, hiInclusive: true });
      lo = v;
      loInclusive = false;
    } else if (c.left) {
      bins.push({ lo, loInclusive, hi: v, hiInclusive: true });
      lo = v;
      loInclusive = false;
    } else {
      bins.push({ lo, loInclusive, hi: v, hiInclusive: false });
      lo = v;
      loInclusive = true;
    }
  }
  bins.push({ lo, loInclusive, hi: Infinity, hiInclusive: false });
  return bins;
}

/**
 * Builds the ladder of an event from its markets.
 *
 * Mutually exclusive events: each market is one bin, and the markets must partition
 * the outcome line ({@link checkPartition}, on the grid of `event.outcomeStep` when
 * set); otherwise a {@link LadderError} lists every problem. Non-exclusive events
 * (threshold ladders): the bins are the elementary intervals cut by all strikes,
 * respecting inclusivity, and each market covers a contiguous run of them. Markets
 * are ordered by interval (lower end, then upper end) and then by ticker.
 *
 * @throws {LadderError} when the markets of a mutually exclusive event do not
 * partition the outcome line.
 * @throws {RangeError} when there are no markets, a market belongs to another event,
 * a ticker repeats, the outcome step is invalid, or a market's strikes are invalid.
 *
 * @example
 * ```ts
 * const event = {
 *   kind: "event", ts: 0, event: "KXBTCD-26FEB0620", series: "KXBTCD", mutuallyExclusive: false,
 * } as const;
 * const m = (k: number) => ({
 *   kind: "market", ts: 0, market: `KXBTCD-26FEB0620-T${k}`, event: event.event,
 *   strikeType: "greater", floorStrike: k, openTs: 0, closeTs: 1, priceStep: 100,
 * } as const);
 * const ladder = buildLadder(event, [m(73249.99), m(72999.99)]);
 * // ladder.bins: (-inf, 72999.99], (72999.99, 73249.99], (73249.99, +inf)
 * // ladder.markets: [...T72999.99, ...T73249.99]; binStart [1, 2], binEnd [3, 3]
 * ```
 */
export function buildLadder(event: EventEvent, markets: readonly MarketEvent[]): Ladder {
  const name = event.event;
  if (markets.length === 0) {
    throw new RangeError(`Cannot build ladder for ${name}: no markets`);
  }
  if (event.outcomeStep !== undefined) validateStep(event.outcomeStep, `build ladder for ${name}`);
  const seen = new Set<string>();
  for (const m of markets) {
    if (m.event !== name) {
      throw new RangeError(
        `Cannot build ladder for ${name}: market ${m.market} belongs to event ${m.event}`,
      );
    }
    if (seen.has(m.market)) {
      throw new RangeError(`Cannot build ladder for ${name}: market ${m.market} appears twice`);
    }
    seen.add(m.market);
  }
  const items = markets
    .map((m) => ({ market: m.market, interval: marketInterval(m) }))
    .sort((a, b) => compareIntervals(a.interval, b.interval) || byTicker(a.market, b.market));
  const n = items.length;
  const tickers = items.map((it) => it.market);
  const marketIndex = new Map<string, number>();
  tickers.forEach((t, i) => marketIndex.set(t, i));
  const binStart = new Int32Array(n);
  const binEnd = new Int32Array(n);
  let bins: Interval[];

  if (event.mutuallyExclusive) {
    const problems = checkPartition(items, event.outcomeStep);
    if (problems.length > 0) throw new LadderError(name, problems);
    bins = items.map((it) => it.interval);
    for (let i = 0; i < n; i++) {
      binStart[i] = i;
      binEnd[i] = i + 1;
    }
  } else {
    bins = elementaryBins(items.map((it) => it.interval));
    for (let i = 0; i < n; i++) {
      const iv = items[i].interval;
      let start = -1;
      let end = -1;
      for (let b = 0; b < bins.length; b++) {
        if (isSubset(bins[b], iv)) {
          if (start < 0) start = b;
          else if (end !== b) {
            // Cannot happen: an interval is a union of consecutive elementary bins.
            throw new Error(
              `Cannot build ladder for ${name}: market ${
                items[i].market
              } covers non-contiguous bins`,
            );
          }
          end = b + 1;
        }
      }
      binStart[i] = start;
      binEnd[i] = end;
    }
  }

  const ladder: Ladder = {
    event: name,
    series: event.series,
    mutuallyExclusive: event.mutuallyExclusive,
    bins: Object.freeze(bins),
    markets: Object.freeze(tickers),
    binStart,
    binEnd,
    marketIndex,
    ...(event.outcomeStep !== undefined ? { outcomeStep: event.outcomeStep } : {}),
  };
  return ladder;
}

const gridCache = new WeakMap<Ladder, { first: Float64Array; last: Float64Array }>();

/**
 * For a ladder with an `outcomeStep`, the grid indices `first[b]..last[b]` of the
 * reportable values `k * outcomeStep` in each bin (`first[b] > last[b]` for an
 * unreachable bin; the tails have infinite ends). Cached per ladder.
 *
 * @throws {RangeError} when the ladder has no `outcomeStep`.
 *
 * @example
 * ```ts
 * const { first, last } = binGridRanges(ladder); // ladder.outcomeStep = 1
 * // bin [45, 46] -> first 45, last 46; bin (45, 46) -> first 46, last 45 (unreachable)
 * ```
 */
export function binGridRanges(ladder: Ladder): { first: Float64Array; last: Float64Array } {
  const step = ladder.outcomeStep;
  if (step === undefined) {
    throw new RangeError(
      `Cannot compute grid ranges for ${ladder.event}: the ladder has no outcome step`,
    );
  }
  let r = gridCache.get(ladder);
  if (r === undefined) {
    const n = ladder.bins.length;
    r = { first: new Float64Array(n), last: new Float64Array(n) };
    for (let b = 0; b < n; b++) {
      const g = intervalGridRange(ladder.bins[b], step);
      r.first[b] = g.first;
      r.last[b] = g.last;
    }
    gridCache.set(ladder, r);
  }
  return r;
}

/**
 * The bin an outcome value falls in, respecting inclusivity, or -1 when it falls in
 * none (`NaN`, an infinite value). With an `outcomeStep`, the value is first rounded
 * to the step (the outcome as reported).
 *
 * @example
 * ```ts
 * // KXHIGHNY bins (-inf, 44], [45, 46], [47, 48], ..., [57, +inf) with outcomeStep 1
 * binOfValue(ladder, 46.4); // 1: reported as 46, in [45, 46]
 * ```
 */
export function binOfValue(ladder: Ladder, value: number): number {
  const bins = ladder.bins;
  if (ladder.outcomeStep === undefined) {
    for (let b = 0; b < bins.length; b++) if (intervalContains(bins[b], value)) return b;
    return -1;
  }
  const k = Math.round(value / ladder.outcomeStep);
  if (!Number.isFinite(k)) return -1;
  const { first, last } = binGridRanges(ladder);
  for (let b = 0; b < bins.length; b++) if (first[b] <= k && k <= last[b]) return b;
  return -1;
}

/**
 * The unique bin consistent with every market's result (a bin inside a market's
 * range exactly when that market settled YES), or -1 when a market of the ladder
 * has no result, no bin is consistent, or several are. Entries for other markets
 * are ignored. With an `outcomeStep`, unreachable bins (no reportable value) are
 * never the outcome.
 *
 * @example
 * ```ts
 * // threshold ladder T72999.99, T73249.99: bins (-inf, 72999.99], (72999.99, 73249.99], (73249.99, +inf)
 * outcomeBinFromResults(ladder, new Map([["...-T72999.99", "yes"], ["...-T73249.99", "no"]])); // 1
 * ```
 */
export function outcomeBinFromResults(ladder: Ladder, results: ReadonlyMap<string, Side>): number {
  const n = ladder.markets.length;
  const yes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = results.get(ladder.markets[i]);
    if (r === "yes") yes[i] = 1;
    else if (r !== "no") return -1;
  }
  const grid = ladder.outcomeStep === undefined ? undefined : binGridRanges(ladder);
  let found = -1;
  for (let b = 0; b < ladder.bins.length; b++) {
    if (grid !== undefined && grid.first[b] > grid.last[b]) continue; // unreachable bin
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const inside = ladder.binStart[i] <= b && b < ladder.binEnd[i];
      ok = inside === (yes[i] === 1);
    }
    if (ok) {
      if (found >= 0) return -1;
      found = b;
    }
  }
  return found;
}
