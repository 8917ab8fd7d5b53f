import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { KALSHI_IMPORTERS } from "./kalshi_importers.ts";

Deno.test("kalshi importers: names are unique and every spec exists", () => {
  const names = KALSHI_IMPORTERS.map((im) => im.name);
  assert.deepEqual(names, [
    "kalshi-json",
    "kalshi-2024-snapshot",
    "settled-ladder-csv",
    "cpi-events-csv",
    "underlying-csv",
  ]);
  for (const im of KALSHI_IMPORTERS) {
    const path = fileURLToPath(new URL(`../../${im.spec}`, import.meta.url));
    assert.ok(existsSync(path), `${im.name}: ${im.spec}`);
    assert.ok(im.summary.length > 0 && im.summary.length <= 100, im.name);
  }
});

Deno.test("kalshi importers: an empty input gives an empty tape and a zero report", () => {
  const empty: Record<string, string> = {
    "kalshi-json": '{"markets":[],"cursor":""}',
    "kalshi-2024-snapshot": "[]",
    "settled-ladder-csv":
      "event_ticker,market_ticker,lower,upper,side,open_yes,open_ts,close_yes,close_ts,result\n",
    "cpi-events-csv": "event_ticker,close_time,settled,actual_cpi_mom\n",
    "underlying-csv": "date,value\n",
  };
  for (const im of KALSHI_IMPORTERS) {
    const r = im.run([{ name: "empty", text: empty[im.name] }], {
      strict: true,
      symbol: "X",
      tz: "UTC",
    });
    assert.equal(r.events.length, 0, im.name);
    assert.equal(r.report.rowsIn, 0, im.name);
    assert.equal(r.report.firstTs, null, im.name);
  }
});
