/**
 * The Markdown run report: a readable summary of a {@link ReportData} (run
 * identity, SYNTHETIC banner, parameters, summary, scores, reliability bins and
 * per-event results). Pure: returns a string, writes nothing.
 *
 * Also exports the small formatters the HTML report shares, so both reports
 * show the same numbers the same way.
 *
 * @example
 * ```ts
 * import { formatDollars } from "./markdown.ts";
 * console.log(formatDollars(-12345)); // "-1.2345"
 * ```
 *
 * @module
 */

import type { ReportBin, ReportData } from "./types.ts";
import { executionTables } from "./execution_rows.ts";

/** Ticks per dollar (DESIGN.md §2). */
const TICKS_PER_DOLLAR = 10_000;

/**
 * Money in ticks as dollars with 4 decimals and no currency sign:
 * `-12345` -> `"-1.2345"`, `5` -> `"0.0005"`. Non-integers are rounded to the
 * nearest tick (half away from zero); non-finite values give `"n/a"`.
 */
export function formatDollars(ticks: number): string {
  if (!Number.isFinite(ticks)) return "n/a";
  const abs = Math.round(Math.abs(ticks));
  const sign = ticks < 0 && abs !== 0 ? "-" : "";
  const whole = Math.floor(abs / TICKS_PER_DOLLAR);
  const frac = abs % TICKS_PER_DOLLAR;
  return `${sign}${whole}.${String(frac).padStart(4, "0")}`;
}

/** A statistic with a fixed number of decimals (default 4); non-finite gives `"n/a"`. */
export function formatStat(x: number, decimals = 4): string {
  if (!Number.isFinite(x)) return "n/a";
  const s = x.toFixed(decimals);
  // Avoid "-0.0000" for tiny negatives.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A reliability bin's range, e.g. `"0.10–0.20"`. */
export function formatBinRange(bin: ReportBin): string {
  return `${formatStat(bin.lo, 2)}–${formatStat(bin.hi, 2)}`;
}

/** A bin's Wilson interval, e.g. `"[0.1234, 0.5678]"`, or `"n/a"` for an empty bin. */
export function formatWilson(bin: ReportBin): string {
  if (bin.count === 0) return "n/a";
  return `[${formatStat(bin.wilsonLo)}, ${formatStat(bin.wilsonHi)}]`;
}

/** A parameter value: strings as they are, everything else as JSON. */
export function formatParam(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A time in ms as an ISO-8601 UTC string, or `"n/a"`. */
export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "n/a";
}

/** The text of the SYNTHETIC DATA warning both reports show. */
export const SYNTHETIC_WARNING =
  "These results come from generated tapes, not recorded market data. " +
  "They test the machinery and say nothing about real markets.";

/** Escapes a table cell: pipes, backslashes and line breaks. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A code span that survives backticks inside the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const right = (h: string) => h.startsWith(">");
  const names = header.map((h) => (right(h) ? h.slice(1) : h));
  const lines = [
    `| ${names.map(cell).join(" | ")} |`,
    `| ${header.map((h) => (right(h) ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdown(d: ReportData): string {
  const out: string[] = [];
  out.push(`# ${d.synthetic ? "[SYNTHETIC] " : ""}${d.title.replace(/\r?\n/g, " ")}`, "");
  if (d.synthetic) {
    out.push(`> **⚠ SYNTHETIC DATA: ${SYNTHETIC_WARNING}**`, "");
  }

  out.push(
    table(["run", "value"], [
      ["Run id", String(d.runId)],
      ["Strategy", d.strategy],
      ["Seed", String(d.seed)],
      ["Code version", code(d.codeVersion)],
      ["Digest", code(d.digest)],
      ["Tapes", d.tapes.length === 0 ? "none" : d.tapes.map(code).join(", ")],
      ["Data", d.synthetic ? "**SYNTHETIC**" : "recorded"],
    ]),
    "",
  );

  out.push("## Parameters", "");
  const params = Object.keys(d.params).sort();
  out.push(
    params.length === 0
      ? "_none_"
      : table(["parameter", "value"], params.map((k) => [k, formatParam(d.params[k])])),
    "",
  );

  out.push("## Summary", "");
  out.push(
    d.summary.length === 0
      ? "_none_"
      : table(["item", ">value"], d.summary.map((s) => [s.label, s.value])),
    "",
  );

  out.push("## Scores", "");
  out.push(
    d.scores.length === 0 ? "_none_" : table(
      ["metric", ">model", ">market", ">skill"],
      d.scores.map((
        s,
      ) => [s.metric, formatStat(s.model), formatStat(s.market), formatStat(s.skill)]),
    ),
    "",
  );

  out.push("## Scores by time to close", "");
  const hz = d.byHorizon.filter((h) => h.n > 0);
  out.push(
    hz.length === 0 ? "_none_" : table(
      [
        "time to close",
        ">pairs",
        ">Brier model",
        ">Brier market",
        ">log loss model",
        ">log loss market",
      ],
      hz.map((h) => [
        h.label,
        String(h.n),
        formatStat(h.modelBrier),
        formatStat(h.marketBrier),
        formatStat(h.modelLogLoss),
        formatStat(h.marketLogLoss),
      ]),
    ),
    "",
  );

  out.push("## Reliability", "");
  const bins = [
    ...d.reliability.model.map((b) => ["model", b] as const),
    ...d.reliability.market.map((b) => ["market", b] as const),
  ];
  out.push(
    bins.length === 0 ? "_none_" : table(
      ["forecaster", "bin", ">n", ">mean forecast", ">observed", ">Wilson interval"],
      bins.map(([who, b]) => [
        who,
        formatBinRange(b),
        String(b.count),
        b.count === 0 ? "n/a" : formatStat(b.meanForecast),
        b.count === 0 ? "n/a" : formatStat(b.observedRate),
        formatWilson(b),
      ]),
    ),
    "",
  );

  if (d.execution !== undefined) {
    out.push("## Execution", "");
    for (const t of executionTables(d.execution)) {
      out.push(`**${t.title}**`, "", table(t.head, t.rows), "");
    }
  }

  if (d.lastEvents !== undefined && d.lastEvents.length > 0) {
    out.push("## PMF vs outcome, last events", "");
    out.push(
      "Each event's last forecast before it settled: model and market probability per bin; " +
        "the bin that happened is marked.",
      "",
    );
    for (const e of d.lastEvents) {
      out.push(`**${e.event}** (${new Date(e.ts).toISOString()})`, "");
      out.push(
        table(
          ["bin", ">model", ">market", "outcome"],
          e.bins.map((b, i) => [
            b,
            formatStat(e.model[i]),
            e.market[i] === null ? "n/a" : formatStat(e.market[i] as number),
            i === e.outcome ? "YES" : "",
          ]),
        ),
        "",
      );
    }
  }

  out.push("## Per event", "");
  out.push(
    d.perEvent.length === 0 ? "_none_" : table(
      ["event", ">forecasts", ">Brier model", ">Brier market", ">PnL ($)"],
      d.perEvent.map((e) => [
        e.event,
        String(e.forecasts),
        formatStat(e.brierModel),
        formatStat(e.brierMarket),
        formatDollars(e.pnlTicks),
      ]),
    ),
    "",
  );

  const n = d.pnl.cumulativeTicks.length;
  if (n > 0) {
    out.push(
      `Final cumulative PnL ($): ${formatDollars(d.pnl.cumulativeTicks[n - 1])} at ${
        formatTime(d.pnl.ts[n - 1])
      }.`,
      "",
    );
  }
  return out.join("\n");
}
