/**
 * Real-data checks of the CSV importers on ../shared/data/kalshi_highny_jj: every
 * file imports with counts that reconcile with the source, into a valid tape
 * (read back by the NDJSON reader, strict), identically twice; every settlement
 * matches the results file and every settled ladder has exactly one YES.
 */

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readCsvRows, requireColumns } from "../../lib/import/csv_rows.ts";
import { eventDateCode } from "../../lib/import/ticker_ladder.ts";
import type { ImportReport } from "../../lib/import/types.ts";
import type { MarketEvent } from "../../lib/tape/events.ts";
import { readNdjsonFile } from "../../lib/tape/ndjson_reader.ts";
import { runImportJob } from "../../tasks/import.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

const DIR = "kalshi_highny_jj";

interface TapeSummary {
  kinds: Map<string, number>;
  markets: Map<string, MarketEvent>;
  settlements: { ts: number; market: string; result: string }[];
  lastTs: number;
}

async function readTape(path: string): Promise<TapeSummary> {
  const kinds = new Map<string, number>();
  const markets = new Map<string, MarketEvent>();
  const settlements: { ts: number; market: string; result: string }[] = [];
  let lastTs = -1;
  for await (const ev of readNdjsonFile(path, { strict: true })) {
    assert(ev.ts >= lastTs, "ts never decreases");
    lastTs = ev.ts;
    kinds.set(ev.kind, (kinds.get(ev.kind) ?? 0) + 1);
    if (ev.kind === "market") markets.set(ev.market, { ...ev });
    if (ev.kind === "settlement") {
      settlements.push({ ts: ev.ts, market: ev.market, result: ev.result });
    }
  }
  return { kinds, markets, settlements, lastTs };
}

/** Declarations: series, events, markets and each market's "open" lifecycle event. */
function metadataCount(s: TapeSummary): number {
  const markets = s.kinds.get("market") ?? 0;
  assert.equal(s.kinds.get("lifecycle") ?? 0, markets, "one open lifecycle event per market");
  return (s.kinds.get("series") ?? 0) + (s.kinds.get("event") ?? 0) + 2 * markets;
}

function reconciles(r: ImportReport): void {
  assert.equal(r.rowsIn, r.rowsUsed + r.rejects.length + r.skipped);
}

async function importTwice(
  dir: string,
  format: string,
  files: string[],
  options: Record<string, unknown>,
): Promise<{ report: ImportReport; tape: string }> {
  const a = join(dir, `${format}-a.ndjson`);
  const b = join(dir, `${format}-b.ndjson`);
  const report = await runImportJob({
    format,
    files,
    out: a,
    options: { strict: true, ...options },
  });
  const again = await runImportJob({
    format,
    files: [...files].reverse(),
    out: b,
    options: { strict: true, ...options },
  });
  assert.deepEqual(again, { ...report, files: again.files });
  assert.deepEqual(
    await Deno.readFile(a),
    await Deno.readFile(b),
    `${format}: re-import is byte-identical`,
  );
  return { report, tape: a };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "highny_real_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(
  "real data: top-of-book logs (23 files, 910,778 rows) import, reconcile, validate, repeat",
  realDataTest(DIR, "top_of_book"),
  async () => {
    const folder = requireShared(DIR, "top_of_book");
    const files = readdirSync(folder).filter((f) => f.endsWith(".csv.gz")).sort().map((f) =>
      join(folder, f)
    );
    assert.equal(files.length, 23);
    await withDir(async (dir) => {
      const { report, tape } = await importTwice(dir, "top-of-book-csv", files, {
        tz: "America/Los_Angeles",
      });
      reconciles(report);
      assert.equal(report.rowsIn, 910_778, "SOURCE.md: 910,778 rows total");
      assert.deepEqual([report.rejects.length, report.skipped], [0, 0]);
      assert.deepEqual([report.markets, report.events, report.series], [138, 23, 1]);
      const s = await readTape(tape);
      const data = (s.kinds.get("quote") ?? 0) + (s.kinds.get("book_snapshot") ?? 0);
      assert.equal(data, report.rowsUsed, "one event per used row");
      assert.equal(data + metadataCount(s), report.eventsOut);
      assert.equal(
        report.anomalies.find((a) => a.code === "ladder_not_partition"),
        undefined,
        "every ladder partitions",
      );
      // Empty and crossed books become empty snapshots; one-sided books stay (one-sided) quotes.
      const count = (code: string) => report.anomalies.find((a) => a.code === code)?.count ?? 0;
      assert.equal(s.kinds.get("book_snapshot") ?? 0, count("empty_book") + count("crossed_book"));
      assert.equal(count("one_sided_book"), 4684);
      assert.equal(
        new Date(report.firstTs!).toISOString(),
        "2025-12-04T20:27:16.079Z",
        "12:27:16 Pacific",
      );
    });
  },
);

Deno.test(
  "real data: candles + results settle every result exactly, one YES per settled ladder",
  realDataTest(DIR),
  async () => {
    const candles = requireShared(DIR, "KXHIGHNY_candles_5m.csv");
    const results = requireShared(DIR, "kalshi_settlement_vs_actual_weather.csv");
    await withDir(async (dir) => {
      const { report, tape } = await importTwice(dir, "candle-csv", [candles, results], {
        extra: { results },
      });
      reconciles(report);
      assert.equal(report.rowsIn, 19_271 + 85, "SOURCE.md: 19,271 candles and 85 results");
      assert.equal(report.markets, 720);
      assert.equal(report.events, 121);
      const s = await readTape(tape);
      assert.equal(
        (s.kinds.get("quote") ?? 0) + (s.kinds.get("settlement") ?? 0) + metadataCount(s),
        report.eventsOut,
      );

      // Independent check against the results file.
      const t = readCsvRows(results, await Deno.readTextFile(results));
      const [cDate, cLabel] = requireColumns(t, ["date", "winning_market"]);
      const byEvent = new Map<string, { yes: string[]; n: number; ts: Set<number> }>();
      for (const st of s.settlements) {
        const ev = st.market.slice(0, st.market.lastIndexOf("-"));
        const e = byEvent.get(ev) ?? { yes: [], n: 0, ts: new Set<number>() };
        e.n++;
        e.ts.add(st.ts);
        if (st.result === "yes") e.yes.push(st.market);
        byEvent.set(ev, e);
      }
      let checked = 0;
      for (const row of t.rows) {
        const event = `KXHIGHNY-${eventDateCode(row.fields[cDate])}`;
        const e = byEvent.get(event);
        assert(e !== undefined, `${event} settled`);
        assert.equal(e.yes.length, 1, `${event}: exactly one YES`);
        assert.equal(e.ts.size, 1, `${event}: one settlement time`);
        const declared = [...s.markets.values()].filter((m) => m.event === event);
        assert.equal(e.n, declared.length, `${event}: every market settled`);
        const m = s.markets.get(e.yes[0])!;
        const lo = m.strikeType === "less"
          ? -Infinity
          : m.strikeType === "greater"
          ? m.floorStrike! + 1
          : m.floorStrike!;
        const hi = m.strikeType === "less"
          ? m.capStrike! - 1
          : m.strikeType === "greater"
          ? Infinity
          : m.capStrike!;
        const label = row.fields[cLabel];
        const want = lo === -Infinity
          ? `${hi}° or below`
          : hi === Infinity
          ? `${lo}° or above`
          : `${lo}° to ${hi}°`;
        assert.equal(label, want, `${event}: YES market ${m.market} is the winning bucket`);
        assert(
          e.ts.has(Math.max(...declared.map((d) => d.closeTs))),
          `${event}: settles at its last close`,
        );
        checked++;
      }
      assert.equal(checked, 85);
      assert.equal(byEvent.size, 85, "no settlement without a result");
      assert.equal(
        report.anomalies.find((a) => a.code === "unsettled_market")?.count,
        720 - s.settlements.length,
      );
    });
  },
);

Deno.test("real data: market snapshots import and reconcile", realDataTest(DIR), async () => {
  const snap = requireShared(DIR, "kalshi_market_snapshots_2025-11-24.csv");
  await withDir(async (dir) => {
    const { report, tape } = await importTwice(dir, "quote-snapshot-csv", [snap], {});
    reconciles(report);
    assert.equal(report.rowsIn, 804);
    assert.deepEqual([report.markets, report.events], [12, 2]);
    const s = await readTape(tape);
    assert.equal(
      (s.kinds.get("quote") ?? 0) + (s.kinds.get("book_snapshot") ?? 0),
      report.rowsUsed,
    );
  });
});
