/**
 * Shared pieces of the live lane's tests: a small one-market tape with a book
 * that updates every second, a scripted strategy, and a harness that runs the
 * lane on a virtual clock in a temporary folder.
 *
 * @module
 */

import { join } from "node:path";
import type { OrderIntent, Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { DEFAULT_REPLAY_CONFIG, type ReplayConfig } from "../lib/venue/replay.ts";
import { type AuditRecord, parseAuditLog } from "./audit_log.ts";
import { ArrayFeed } from "./array_feed.ts";
import { FakeClock } from "./fake_clock.ts";
import type { LiveFeed } from "./feed_port.ts";
import { denoFs, type LiveFs } from "./io.ts";
import { type LaneOptions, type LaneOutcome, runLane } from "./lane.ts";

/** Start of the test tape: Monday 2026-01-05 15:00 UTC (10:00 EST). */
export const T0 = Date.UTC(2026, 0, 5, 15, 0);
/** The test market. */
export const MARKET = "KXTEST-26JAN05-T100";

/**
 * One market (series KXTEST, "greater" than 100) open for `seconds`: a snapshot
 * at T0 + 1 s (YES bid 49c x 10, YES ask 51c x 10), then every second an
 * underlying tick and a book delta (toggling 1 contract at 48c), a trade every
 * 10 s; closed and settled YES at the end.
 */
export function oneMarketTape(seconds = 120): TapeEvent[] {
  const close = T0 + (seconds + 1) * 1000;
  const ev: TapeEvent[] = [
    { kind: "series", ts: T0, series: "KXTEST", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: T0, event: "KXTEST-26JAN05", series: "KXTEST", mutuallyExclusive: false },
    {
      kind: "market",
      ts: T0,
      market: MARKET,
      event: "KXTEST-26JAN05",
      strikeType: "greater",
      floorStrike: 100,
      openTs: T0,
      closeTs: close,
      priceStep: 100,
    },
    { kind: "lifecycle", ts: T0, market: MARKET, status: "open" },
    {
      kind: "book_snapshot",
      ts: T0 + 1000,
      market: MARKET,
      seq: 1,
      yesPrices: [4900, 4800],
      yesSizes: [1000, 1000],
      noPrices: [4900, 4800],
      noSizes: [1000, 1000],
    },
  ];
  for (let s = 2; s <= seconds; s++) {
    const ts = T0 + s * 1000;
    ev.push({ kind: "underlying", ts, symbol: "X", value: 100 + s / 100 });
    ev.push({
      kind: "book_delta",
      ts,
      market: MARKET,
      seq: s,
      side: "yes",
      price: 4800,
      delta: s % 2 === 0 ? 100 : -100,
    });
    if (s % 10 === 0) {
      ev.push({ kind: "trade", ts, market: MARKET, price: 5100, count: 100, takerSide: "yes" });
    }
  }
  ev.push({ kind: "lifecycle", ts: close, market: MARKET, status: "closed" });
  ev.push({ kind: "settlement", ts: close + 1000, market: MARKET, result: "yes" });
  return ev;
}

/** What a scripted strategy decides on an underlying tick: orders to send (may be none). */
export type Script = (ctx: StrategyContext, second: number) => OrderIntent[];

/** A strategy that sends what its script says on every underlying tick; records what it saw. */
export class ScriptStrategy implements Strategy {
  readonly name = "script";
  readonly params = {};
  readonly ids: number[] = [];
  readonly done: { id: number; state: string; message: string }[] = [];
  fills = 0;
  readonly #script: Script;
  constructor(script: Script) {
    this.#script = script;
  }
  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    if (ev.kind !== "underlying") return;
    for (const o of this.#script(ctx, Math.round((ev.ts - T0) / 1000))) {
      this.ids.push(ctx.submit(o));
    }
  }
  onFill(): void {
    this.fills++;
  }
  onOrderDone(o: { id: number; state: string; rejectMessage: string }): void {
    this.done.push({ id: o.id, state: o.state, message: o.rejectMessage });
  }
}

/** An IOC buy of 1 YES contract at 51c (takes the ask). */
export function buyYes(reason = "test"): OrderIntent {
  return { market: MARKET, side: "yes", limitPrice: 5100, count: 100, timeInForce: "ioc", reason };
}

/** Options of {@link runTestLane}. */
export interface TestLaneOptions extends Partial<Omit<LaneOptions, "strategy">> {
  readonly strategy: Strategy;
  readonly tape?: readonly TapeEvent[];
  /** Tape ms per virtual ms (default 1). */
  readonly speed?: number;
}

/** What {@link runTestLane} returns: the outcome, the audit records and the clock. */
export interface TestLane {
  readonly outcome: LaneOutcome;
  readonly audit: AuditRecord[];
  readonly clock: FakeClock;
  readonly dir: string;
}

/** The replay settings the lane tests use (lenient, as the lane). */
export const TEST_REPLAY: ReplayConfig = { ...DEFAULT_REPLAY_CONFIG, strict: false };

/** Run the lane on a virtual clock over a paced in-memory feed, in a temp folder (or `outDir`). */
export async function runTestLane(o: TestLaneOptions): Promise<TestLane> {
  const tape = o.tape ?? oneMarketTape();
  const clock = (o.clock as FakeClock | undefined) ?? new FakeClock(tape[0].ts);
  const dir = o.outDir ?? await Deno.makeTempDir({ prefix: "kx-live-" });
  const feed: LiveFeed = o.feed ?? new ArrayFeed(tape, { clock, speed: o.speed ?? 1 });
  const fs: LiveFs = o.fs ?? denoFs;
  const outcome = await runLane({
    feedName: "memory: test tape",
    mode: "dry",
    replay: TEST_REPLAY,
    codeVersion: "test",
    ...o,
    feed,
    clock,
    fs,
    outDir: dir,
  });
  const audit = parseAuditLog(await Deno.readTextFile(join(dir, "audit.jsonl")));
  return { outcome, audit, clock, dir };
}
