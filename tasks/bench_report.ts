/**
 * The Markdown table `deno task bench` prints and writes.
 *
 * @module
 */

import type { BenchResults } from "./bench.ts";

const mps = (x: number) => `${(x / 1e6).toFixed(2)}M`;
const s = (x: number) => `${x.toFixed(2)} s`;
const mb = (x: number) => `${x.toFixed(0)} MiB`;

/** Render the results as Markdown. */
export function renderBenchMarkdown(r: BenchResults): string {
  const L: string[] = [];
  const w = r.workload;
  L.push(`## KX-REPLAY-${w.events >= 1e6 ? `${w.events / 1e6}M` : w.events} (seed ${w.seed})`);
  L.push("");
  L.push(
    `${w.events.toLocaleString("en-US")} events; NDJSON ${mb(w.ndjsonBytes / 2 ** 20)}, columnar ${
      mb(w.columnarBytes / 2 ** 20)
    }, SQLite ${
      mb(w.sqliteBytes / 2 ** 20)
    }. Machine: ${r.machine.cpus} cores, ${r.machine.os}, Deno ${r.machine.deno}.`,
  );
  L.push("");
  L.push("| path | events/s (median) | runs (ms) | end-to-end wall | peak RSS | of ceiling |");
  L.push("| --- | ---: | --- | ---: | ---: | ---: |");
  const json = r.ceilings.find((c) => c.path === "json-ceiling");
  const scan = r.ceilings.find((c) => c.path === "scan-ceiling");
  for (const p of r.paths) {
    const ceil = p.path === "ndjson" ? json : p.path === "columnar" ? scan : undefined;
    const frac = ceil ? `${((100 * p.eventsPerS) / ceil.eventsPerS).toFixed(0)}%` : "";
    L.push(
      `| ${p.path} | ${mps(p.eventsPerS)} | ${p.runsMs.map((x) => x.toFixed(0)).join(", ")} | ${
        s(p.wallS)
      } | ${mb(p.peakRssMb)} | ${frac} |`,
    );
  }
  for (const c of r.ceilings) {
    L.push(
      `| ceiling: ${c.path} | ${mps(c.eventsPerS)} | ${
        c.runsMs.map((x) => x.toFixed(0)).join(", ")
      } | ${s(c.wallS)} | ${mb(c.peakRssMb)} | |`,
    );
  }
  if (r.pandas) {
    L.push(
      `| pandas peer (NDJSON) | ${mps(r.pandas.eventsPerS)} | read ${s(r.pandas.readS)}, compute ${
        s(r.pandas.computeS)
      } | ${s(r.pandas.totalS)} | ${mb(r.pandas.peakRssMb)} | |`,
    );
  }
  L.push("");
  const nd = r.paths.find((p) => p.path === "ndjson");
  if (nd?.linesRead !== undefined && nd.linesInPlace !== undefined) {
    L.push(
      `The NDJSON path read ${nd.linesInPlace.toLocaleString("en-US")} of its ${
        nd.linesRead.toLocaleString("en-US")
      } lines in place (hot lines in the tape writer's form, without JSON.parse) and the rest through JSON.parse; every line was validated. Its fraction of the JSON.parse ceiling compares the whole path with parsing alone.`,
      "",
    );
  }
  if (r.l2 !== undefined) {
    L.push(
      `KX-REPLAY-L2 (the same workload with L2 books; resting post-only orders filled by queue position): ${
        r.l2.events.toLocaleString("en-US")
      } events, ${mps(r.l2.eventsPerS)} events/s (runs ${
        r.l2.runsMs.map((x) => x.toFixed(0)).join(", ")
      } ms), ${r.l2.fills} maker fills, peak RSS ${mb(r.l2.peakRssMb)}.`,
      "",
    );
  }
  if (r.importBench !== undefined) {
    L.push(
      "rows" in r.importBench
        ? `Import (deno task import top-of-book-csv, KXHIGHNY logs): ${
          r.importBench.rows.toLocaleString("en-US")
        } rows in ${r.importBench.seconds.toFixed(2)} s.`
        : `Import benchmark skipped: ${r.importBench.skipped}`,
      "",
    );
  }
  const sc = r.scoring;
  L.push(
    `Scoring ${sc.pairs.toLocaleString("en-US")} pairs (Brier and log loss in one pass): ${
      (sc.scoreS * 1000).toFixed(1)
    } ms, ${mps(sc.pairsPerS)} pairs/s` +
      (sc.sklearn
        ? `; sklearn brier_score_loss ${(sc.sklearn.brierS * 1000).toFixed(1)} ms + log_loss ${
          (sc.sklearn.logLossS * 1000).toFixed(1)
        } ms.`
        : "."),
  );
  if (r.scaling) {
    L.push("");
    L.push(
      `Memory vs tape length (columnar): ${
        r.scaling.map((x) => `${x.events.toLocaleString("en-US")} events -> ${mb(x.peakRssMb)}`)
          .join("; ")
      }.`,
    );
  }
  L.push("");
  L.push("| agreement check | ok | detail |");
  L.push("| --- | --- | --- |");
  for (const c of r.checks) L.push(`| ${c.name} | ${c.ok ? "yes" : "**NO**"} | ${c.detail} |`);
  L.push("");
  L.push("| target | met | measured |");
  L.push("| --- | --- | --- |");
  for (const t of r.targets) L.push(`| ${t.name} | ${t.ok ? "yes" : "no"} | ${t.detail} |`);
  L.push("");
  L.push(
    `Generation (not timed in the paths): NDJSON ${s(r.generation.ndjsonS)}, columnar ${
      s(r.generation.columnarS)
    }, SQLite ${s(r.generation.sqliteS)}.`,
  );
  if (r.crashes.length > 0) {
    L.push("");
    L.push(`Runtime crashes (the path was run again): ${r.crashes.join("; ")}.`);
  }
  return L.join("\n") + "\n";
}
