/**
 * When a strategy's tracked events close: the earliest close time of each
 * event's markets as their metadata arrives (a market may come before its
 * event), and, for an event none of whose markets this strategy saw, the close
 * of its ladder's first market as the context knows it.
 *
 * @module
 */

import type { StrategyContext } from "../lib/engine/strategy.ts";

/** Earliest market close per event, from market metadata. */
export class EventCloses {
  readonly #closes = new Map<string, number>();

  /** The event's earliest close seen so far (ms), or NaN. */
  get(event: string): number {
    return this.#closes.get(event) ?? Number.NaN;
  }

  /** Record one of the event's markets closing at `closeTs`; returns the event's earliest close. */
  note(event: string, closeTs: number): number {
    const prev = this.#closes.get(event);
    const close = prev === undefined || closeTs < prev ? closeTs : prev;
    this.#closes.set(event, close);
    return close;
  }

  /** Forget an event (it closed). */
  delete(event: string): void {
    this.#closes.delete(event);
  }
}

/** The close of an event's ladder's first market, as the context knows it, or undefined. */
export function ladderCloseTs(ctx: StrategyContext, event: string): number | undefined {
  const first = ctx.ladder(event)?.markets[0];
  return first === undefined ? undefined : ctx.closeTs(first);
}
