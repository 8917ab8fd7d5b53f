import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { realDataTest, requireShared } from "./shared_data.ts";

Deno.test("real data: the shared data folder holds the Kalshi test bed", realDataTest(), () => {
  for (
    const dir of [
      "kalshi_highny_jj",
      "kalshi_weather_jm",
      "kalshi_cpi_yf",
      "kalshi_2024_snapshot_ln",
    ]
  ) {
    assert(existsSync(requireShared(dir, "SOURCE.md")), dir);
  }
});
