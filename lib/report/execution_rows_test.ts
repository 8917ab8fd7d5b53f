import assert from "node:assert/strict";
import { executionTables } from "./execution_rows.ts";

Deno.test("executionTables renders the PnL split in dollars and leaves out empty tables", () => {
  const t = executionTables({
    makerBuckets: [],
    slippage: [{ role: "taker", fills: 3, avgSlippageTicks: 12.5, worstTicks: 40 }],
    markouts: [],
    pnlSplit: { spreadTicks: 1200, inventoryTicks: -3400, feesTicks: 200, totalTicks: -2400 },
    inventory: [],
  });
  assert.deepEqual(t.map((x) => x.title.split(" ")[0]), ["PnL", "Slippage"]);
  assert.deepEqual(t[0].rows[0], ["$0.1200", "-$0.3400", "$0.0200", "-$0.2400"]);
  assert.deepEqual(t[1].rows[0], ["taker", "3", "12.5", "40.0"]);
});
