/**
 * Daily and weekly loss caps on realized + marked PnL, with periods in Eastern
 * time (America/New_York, via Intl): a day runs from 00:00 ET, a week from
 * Monday 00:00 ET (lib/risk/eastern_period.ts).
 *
 * The tracker is told the account's equity (ticks: cash flows plus the marked
 * value of open positions) at every update. The loss of a period is the equity at
 * its start minus the equity now; the equity at the start of a period is the last
 * equity known before the first update that falls in it (nothing changed in
 * between, since every change is an update). The cap is breached when the loss is
 * strictly greater than the cap; a loss equal to the cap is allowed.
 *
 * What a breach does (halt, no new orders, cancel all) is the risk engine's
 * business (lib/risk/risk_engine.ts); the tracker only measures.
 *
 * @example
 * ```ts
 * import { LossCapTracker } from "./loss_caps.ts";
 *
 * const caps = new LossCapTracker(10_000, 30_000); // $1 a day, $3 a week
 * const t0 = Date.UTC(2026, 2, 9, 14); // Monday 10:00 EDT
 * caps.advance(t0, 0);
 * caps.evaluate(-10_000); // undefined: a loss of exactly $1
 * caps.evaluate(-10_001); // { rule: "daily_loss", loss: 10001, cap: 10000, ... }
 * ```
 *
 * @module
 */

import { EasternPeriods } from "./eastern_period.ts";

/** Which loss cap. */
export type LossCapRule = "daily_loss" | "weekly_loss";

/** A breached loss cap. */
export interface LossCapBreach {
  readonly rule: LossCapRule;
  /** Loss of the period so far, ticks. */
  readonly loss: number;
  /** The cap, ticks. */
  readonly cap: number;
  /** The period's key: the ET date of the day, or of the week's Monday. */
  readonly period: string;
  /** Human-readable explanation. */
  readonly detail: string;
}

function checkCap(name: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(
      `Cannot create loss caps: ${name} must be a non-negative integer of ticks, current value is ${v}`,
    );
  }
}

function checkEquity(action: string, equity: number): void {
  if (!Number.isSafeInteger(equity)) {
    throw new RangeError(
      `Cannot ${action}: equity must be an integer of ticks, current value is ${equity}`,
    );
  }
}

/**
 * Tracks the equity at the start of the current ET day and week and compares
 * the losses since with the caps. Either cap may be absent.
 *
 * @example
 * ```ts
 * import { LossCapTracker } from "./loss_caps.ts";
 *
 * const caps = new LossCapTracker(5_000);
 * caps.advance(Date.UTC(2026, 2, 8, 4, 59), 0); // Saturday 23:59 EST
 * caps.advance(Date.UTC(2026, 2, 8, 5, 0), -8_000); // Sunday 00:00 EST: new day
 * caps.dayLoss(-8_000); // 0
 * ```
 */
export class LossCapTracker {
  readonly dailyCap?: number;
  readonly weeklyCap?: number;
  readonly #periods = new EasternPeriods();
  #last = Number.MIN_SAFE_INTEGER;
  #day: string | undefined;
  #week: string | undefined;
  #dayStart = 0;
  #weekStart = 0;

  /** @throws {RangeError} when a cap is not a non-negative integer of ticks. */
  constructor(dailyCap?: number, weeklyCap?: number) {
    checkCap("dailyCap", dailyCap);
    checkCap("weeklyCap", weeklyCap);
    this.dailyCap = dailyCap;
    this.weeklyCap = weeklyCap;
  }

  /** The current ET day key, or undefined before the first update. */
  get day(): string | undefined {
    return this.#day;
  }

  /** The current ET week key (its Monday), or undefined before the first update. */
  get week(): string | undefined {
    return this.#week;
  }

  /**
   * Moves to time `now`. `equity` is the equity known just before `now`'s update:
   * it becomes the starting equity of any period that begins with this update.
   *
   * @throws {RangeError} when `now` is not an integer, goes backwards, or the
   *   equity is not an integer.
   */
  advance(now: number, equity: number): void {
    if (!Number.isSafeInteger(now)) {
      throw new RangeError(
        `Cannot advance loss caps: time must be an integer of ms, current value is ${now}`,
      );
    }
    if (now < this.#last) {
      throw new RangeError(
        `Cannot advance loss caps: time went backwards from ${this.#last}, current value is ${now}`,
      );
    }
    checkEquity("advance loss caps", equity);
    this.#last = now;
    const { day, week } = this.#periods.of(now);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayStart = equity;
    }
    if (week !== this.#week) {
      this.#week = week;
      this.#weekStart = equity;
    }
  }

  /** Loss since the start of the current ET day (ticks; negative is a gain). */
  dayLoss(equity: number): number {
    checkEquity("measure daily loss", equity);
    return this.#day === undefined ? 0 : this.#dayStart - equity;
  }

  /** Loss since the start of the current ET week (ticks; negative is a gain). */
  weekLoss(equity: number): number {
    checkEquity("measure weekly loss", equity);
    return this.#week === undefined ? 0 : this.#weekStart - equity;
  }

  /**
   * The first breached cap at this equity (daily before weekly), or undefined.
   *
   * @throws {RangeError} when the equity is not an integer.
   */
  evaluate(equity: number): LossCapBreach | undefined {
    const daily = this.dailyCap;
    if (daily !== undefined) {
      const loss = this.dayLoss(equity);
      if (loss > daily) {
        return {
          rule: "daily_loss",
          loss,
          cap: daily,
          period: this.#day!,
          detail: `loss of ${loss} ticks on ET day ${this.#day} exceeds the daily cap of ${daily}`,
        };
      }
    }
    const weekly = this.weeklyCap;
    if (weekly !== undefined) {
      const loss = this.weekLoss(equity);
      if (loss > weekly) {
        return {
          rule: "weekly_loss",
          loss,
          cap: weekly,
          period: this.#week!,
          detail:
            `loss of ${loss} ticks in the ET week from Monday ${this.#week} exceeds the weekly cap of ${weekly}`,
        };
      }
    }
    return undefined;
  }
}
