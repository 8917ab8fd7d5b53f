/**
 * The execution section of a run report as plain table rows, shared by the
 * Markdown and HTML renderers: fill rate by distance from the touch (observed vs
 * assumed), slippage, mid moves after fills, and the PnL split.
 *
 * @module
 */

import type { ExecutionSection } from "./types.ts";

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const usd = (t: number) => (t < 0 ? "-" : "") + "$" + (Math.abs(t) / 10_000).toFixed(4);

/** One table: a title, column heads (">" prefix = numeric) and rows of text. */
export interface ExecutionTable {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The section's tables, in display order; tables with no rows are left out. */
export function executionTables(e: ExecutionSection): ExecutionTable[] {
  const out: ExecutionTable[] = [
    {
      title: "PnL split (spread capture + inventory - fees = PnL after fees)",
      head: [">spread capture", ">inventory", ">fees", ">PnL after fees"],
      rows: [[
        usd(e.pnlSplit.spreadTicks),
        usd(e.pnlSplit.inventoryTicks),
        usd(e.pnlSplit.feesTicks),
        usd(e.pnlSplit.totalTicks),
      ]],
    },
    {
      title: "Resting orders: fill rate by distance from the touch (ticks)",
      head: [
        "distance",
        ">orders",
        ">filled",
        ">Wilson 95%",
        ">with assumption",
        ">assumed",
        ">observed",
      ],
      rows: e.makerBuckets.map((b) => [
        b.bucket,
        String(b.orders),
        f3(b.fillRate),
        `[${f3(b.fillRateLo)}, ${f3(b.fillRateHi)}]`,
        String(b.withAssumption),
        f3(b.meanAssumed),
        f3(b.observedWithAssumption),
      ]),
    },
    {
      title: "Slippage vs decision price (ticks; taker: the touch, maker: the limit)",
      head: ["role", ">fills", ">mean", ">worst"],
      rows: e.slippage.map((s) => [
        s.role,
        String(s.fills),
        f1(s.avgSlippageTicks),
        f1(s.worstTicks),
      ]),
    },
    {
      title: "Mid move after fills, side bought's view (ticks; negative = adverse selection)",
      head: ["role", ">after", ">fills", ">mean move", ">adverse"],
      rows: e.markouts.map((m) => [
        m.role,
        `${m.horizonMs / 60_000} min`,
        String(m.n),
        f1(m.meanMoveTicks),
        String(m.adverse),
      ]),
    },
  ];
  return out.filter((t) => t.rows.length > 0);
}
