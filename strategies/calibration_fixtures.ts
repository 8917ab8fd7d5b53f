/**
 * Small deterministic history files in the real files' formats, for tests of the
 * calibration jobs and the calibrate task. Test support only: nothing in the
 * workbench imports it. Values follow simple seeded patterns, not real data.
 *
 * @module
 */

import { dayNumber, formatIsoDay, weekdayOf } from "../lib/time/eastern.ts";
import { BTC_HISTORY_FILE } from "./btc/calibration.ts";
import { CLAIMS_HISTORY_FILE } from "./claims/calibration.ts";
import { CPI_HISTORY_FILE } from "./cpi/calibration.ts";
import { GAS_HISTORY_FILE } from "./gas/calibration.ts";
import { TNOTE_HISTORY_FILE } from "./tnote/calibration.ts";

/** A seeded uniform [0, 1) generator (Park-Miller). */
function lcg(seed: number): () => number {
  let s = seed % 2147483647;
  if (s <= 0) s += 2147483646;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** FRED CPIAUCSL: `months` monthly index values from 1990-01 (m/m about 0.2% +/- 0.15). */
export function cpiIndexCsv(months: number, seed = 7): string {
  const u = lcg(seed);
  let level = 100;
  const lines = ["date,value"];
  for (let m = 0; m < months; m++) {
    if (m > 0) level *= 1 + (0.2 + 0.3 * (u() - 0.5)) / 100;
    const y = 1990 + Math.floor(m / 12);
    lines.push(`${y}-${String((m % 12) + 1).padStart(2, "0")}-01,${level.toFixed(3)}`);
  }
  return lines.join("\n") + "\n";
}

/** FRED ICSA: `weeks` weekly prints from the week ending 2000-01-01 (a local level near 300,000). */
export function icsaCsv(weeks: number, seed = 11): string {
  const u = lcg(seed);
  let level = Math.log(300000);
  const lines = ["date,value"];
  for (let i = 0; i < weeks; i++) {
    level += 0.02 * (u() - 0.5);
    const v = Math.exp(level + 0.03 * (u() - 0.5));
    lines.push(`${formatIsoDay(dayNumber(2000, 1, 1) + 7 * i)},${Math.round(v)}.0`);
  }
  return lines.join("\n") + "\n";
}

/** FRED DGS10: `days` business days from 2020-01-01, a random walk; every 20th day blank. */
export function dgs10Csv(days: number, seed = 13): string {
  const u = lcg(seed);
  let y = 2;
  const lines = ["date,value"];
  for (let d = dayNumber(2020, 1, 1), i = 0; i < days; d++) {
    if (weekdayOf(d) === 0 || weekdayOf(d) === 6) continue;
    i++;
    y += 0.08 * (u() - 0.5);
    lines.push(`${formatIsoDay(d)},${i % 20 === 0 ? "" : y.toFixed(2)}`);
  }
  return lines.join("\n") + "\n";
}

/** AAA daily average: `days` days from 2020-01-01, newest first as in the real file. */
export function aaaCsv(days: number, seed = 17): string {
  const u = lcg(seed);
  let p = 3;
  let drift = 0;
  const rows: string[] = [];
  for (let i = 0; i < days; i++) {
    drift = 0.8 * drift + 0.002 * (u() - 0.5);
    p *= Math.exp(drift + 0.002 * (u() - 0.5));
    rows.push(`${formatIsoDay(dayNumber(2020, 1, 1) + i)},${p.toFixed(3)}`);
  }
  return ["date,regular_gas_price", ...rows.reverse()].join("\n") + "\n";
}

/** BTC daily candles: `days` UTC days from 2018-01-01, columns in the real file's odd order. */
export function btcCandlesCsv(days: number, seed = 19): string {
  const u = lcg(seed);
  let p = 10000;
  let v = 0.0009;
  const lines = ["timestamp,open,close,volume,unix_timestamp,high,low"];
  const t0 = Date.UTC(2018, 0, 1) / 1000;
  for (let i = 0; i < days; i++) {
    const open = p;
    // A symmetric shock with variance v, and an EWMA-like variance.
    const r = Math.sqrt(3 * v) * (2 * u() - 1);
    p *= Math.exp(r);
    v = 0.02 * 0.0009 + 0.9 * v + 0.08 * r * r;
    const unix = t0 + 86_400 * i;
    const stamp = `${new Date(unix * 1000).toISOString().slice(0, 10)} 00:00:00`;
    const hi = Math.max(open, p).toFixed(2);
    const lo = Math.min(open, p).toFixed(2);
    lines.push(`${stamp},${open.toFixed(2)},${p.toFixed(2)},1.5,${unix},${hi},${lo}`);
  }
  return lines.join("\n") + "\n";
}

/** Every job's history file (by its path under the data folder), small but enough to fit. */
export function fixtureDataFiles(): Map<string, string> {
  return new Map([
    [CPI_HISTORY_FILE, cpiIndexCsv(120)],
    [CLAIMS_HISTORY_FILE, icsaCsv(200)],
    [TNOTE_HISTORY_FILE, dgs10Csv(400)],
    [GAS_HISTORY_FILE, aaaCsv(400)],
    [BTC_HISTORY_FILE, btcCandlesCsv(400)],
  ]);
}

/**
 * The CSV text with the number in column `col` multiplied by `factor` on every
 * data row whose first column (a date) is on or after `fromDate` (YYYY-MM-DD).
 */
export function alterFrom(text: string, fromDate: string, col: number, factor: number): string {
  return text.split("\n").map((line, i) => {
    if (i === 0 || line === "") return line;
    const f = line.split(",");
    if (f[0].slice(0, 10) < fromDate || f[col] === "") return line;
    f[col] = String(Number(f[col]) * factor);
    return f.join(",");
  }).join("\n");
}
