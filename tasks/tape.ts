/**
 * `deno task tape`: convert tapes between the NDJSON, columnar (`.kxc`) and
 * SQLite forms, and describe a tape file. Run with --help for usage.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { columnarBlockSource } from "../lib/tape/columnar_reader.ts";
import { TapeError } from "../lib/tape/errors.ts";
import { EVENT_KINDS, type TapeEvent, type TapeEventKind } from "../lib/tape/events.ts";
import type { BlockSource } from "../lib/tape/block.ts";
import { NdjsonTapeParser, readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import { sqliteBlockSource } from "../lib/tape/sqlite_tape.ts";
import { type TapeForm, tapeFormOf, writeTapeAtomically } from "../lib/tape/tape_file.ts";

const HELP = `deno task tape <command> [options]

Commands:
  convert IN OUT   convert a tape from one form to another
  info FILE        describe a tape: header, event count, kinds, time span

Forms, chosen by file extension:
  .ndjson, .jsonl  the NDJSON interchange form (docs/TAPE.md)
  .kxc             the columnar binary form (docs/COLUMNAR.md)
  .sqlite, .db     the SQLite form (docs/COLUMNAR.md)

Run "deno task tape <command> --help" for a command's options.

Exit status: 0 on success, 1 when the tape cannot be read or written (the
error names the file, line or row, and field), 2 on a usage error.
`;

const CONVERT_HELP = `deno task tape convert IN OUT [options]

Reads the tape IN (every event validated, as a backtest would) and writes it
to OUT in the form given by OUT's extension (.ndjson/.jsonl, .kxc, .sqlite/.db);
any form converts to any other. OUT is written as OUT.tmp and renamed when
complete, so a failed conversion never leaves a half-written OUT. Prints the
events written per kind and the sizes of both files.

Options:
  --lenient         skip invalid events (counted and listed as anomalies)
                    instead of failing at the first one (default: strict)
  --block-size N    events per block of a .kxc output (default 65536)
  -h, --help        show this help

Exit status: 0 on success, 1 when IN is invalid or OUT cannot be written,
2 on a usage error.
`;

const INFO_HELP = `deno task tape info FILE [options]

Reads the tape FILE (validating every event) and prints its form, size,
header (for .kxc and SQLite), event count, events per kind and time span.

Options:
  --lenient    count invalid events as anomalies instead of failing
  -h, --help   show this help

Exit status: 0 on success, 1 when FILE is invalid, 2 on a usage error.
`;

class UsageError extends Error {}

/** An opened tape: its events (possibly reused objects) and anomaly reporting. */
interface Input {
  readonly events: AsyncIterable<TapeEvent>;
  anomalyCount(): number;
  anomalies(): readonly { file: string; line: number; field: string; detail: string }[];
  /** Extra lines for `info` (header details), available after reading. */
  details(): string[];
}

function blockEvents(src: BlockSource): AsyncIterable<TapeEvent> {
  return (async function* () {
    try {
      for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
        for (let i = 0; i < b.length; i++) yield b.event(i);
      }
    } finally {
      src.close?.();
    }
  })();
}

function openInput(path: string, form: TapeForm, strict: boolean): Input {
  if (form === "ndjson") {
    const parser = new NdjsonTapeParser(path, { strict });
    return {
      events: readNdjsonFile(path, { strict }, parser),
      anomalyCount: () => parser.anomalyCount,
      anomalies: () => parser.anomalies,
      details: () => [`lines:     ${parser.linesRead}`],
    };
  }
  if (form === "kxc") {
    const src = columnarBlockSource(path, { strict });
    return {
      events: blockEvents(src),
      anomalyCount: () => src.anomalyCount(),
      anomalies: () => src.validator.anomalies,
      details: () => {
        const h = src.header;
        if (h === null) return [];
        const d = h.schema as {
          blockSize: number;
          columns: { name: string; type: string }[];
        };
        return [
          `version:   ${h.version}`,
          `blockSize: ${d.blockSize}`,
          `columns:   ${d.columns.map((c) => `${c.name}:${c.type}`).join(" ")}`,
          `markets:   ${src.markets.length} (dictionary)`,
          `symbols:   ${src.symbols.length} (dictionary)`,
          `blocks:    ${src.blocks}`,
        ];
      },
    };
  }
  const src = sqliteBlockSource(path, { strict });
  return {
    events: blockEvents(src),
    anomalyCount: () => src.anomalyCount(),
    anomalies: () => src.validator.anomalies,
    details: () => [`table:     tape_events (one row per event; format kx-tape-sqlite v1)`],
  };
}

/** Counts events per kind and the time span while passing them on. */
class Tally {
  readonly perKind = new Map<TapeEventKind, number>();
  total = 0;
  firstTs = NaN;
  lastTs = NaN;

  async *pass(events: AsyncIterable<TapeEvent>): AsyncGenerator<TapeEvent> {
    for await (const ev of events) {
      this.add(ev);
      yield ev;
    }
  }

  add(ev: TapeEvent): void {
    this.perKind.set(ev.kind, (this.perKind.get(ev.kind) ?? 0) + 1);
    if (this.total === 0) this.firstTs = ev.ts;
    this.lastTs = ev.ts;
    this.total++;
  }

  lines(): string[] {
    const out = [`events:    ${this.total.toLocaleString("en-US")}`];
    for (const k of EVENT_KINDS) {
      const n = this.perKind.get(k);
      if (n !== undefined) out.push(`  ${k.padEnd(14)} ${n.toLocaleString("en-US").padStart(12)}`);
    }
    if (this.total > 0) {
      const span = (this.lastTs - this.firstTs) / 1000;
      out.push(
        `time span: ${iso(this.firstTs)} .. ${iso(this.lastTs)} (${
          span.toLocaleString("en-US")
        } s)`,
      );
    }
    return out;
  }
}

function iso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

function bytes(n: number): string {
  return `${n.toLocaleString("en-US")} bytes`;
}

function anomalyLines(input: Input): string[] {
  const n = input.anomalyCount();
  if (n === 0) return [];
  const out = [`anomalies: ${n} (events skipped or seq gaps recorded)`];
  for (const a of input.anomalies().slice(0, 10)) {
    out.push(`  ${a.file}:${a.line}: field "${a.field}": ${a.detail}`);
  }
  if (n > 10) out.push(`  ... ${n - 10} more`);
  return out;
}

async function convert(args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    options: {
      lenient: { type: "boolean", default: false },
      "block-size": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (v.help) {
    console.log(CONVERT_HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`convert needs IN and OUT, current value is ${positionals.length} paths`);
  }
  const [inPath, outPath] = positionals;
  const inForm = tapeFormOf(inPath);
  const outForm = tapeFormOf(outPath);
  if (inForm === null) throw new UsageError(`unknown tape form of IN "${inPath}" (extension)`);
  if (outForm === null) throw new UsageError(`unknown tape form of OUT "${outPath}" (extension)`);
  let blockSize: number | undefined;
  if (v["block-size"] !== undefined) {
    blockSize = Number(v["block-size"]);
    if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 4_194_304) {
      throw new UsageError(
        `--block-size must be an integer in 1..4194304, current value is ${v["block-size"]}`,
      );
    }
    if (outForm !== "kxc") throw new UsageError("--block-size applies to a .kxc OUT only");
  }
  const input = openInput(inPath, inForm, !v.lenient);
  const tally = new Tally();
  const events = tally.pass(input.events);
  await writeTapeAtomically(outPath, outForm, events, blockSize);
  const inSize = (await Deno.stat(inPath)).size;
  const outSize = (await Deno.stat(outPath)).size;
  const lines = [
    `converted ${inPath} (${inForm}) -> ${outPath} (${outForm})`,
    ...tally.lines(),
    ...anomalyLines(input),
    `in:        ${bytes(inSize)}`,
    `out:       ${bytes(outSize)}`,
  ];
  console.log(lines.join("\n"));
  return 0;
}

async function info(args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    options: {
      lenient: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (v.help) {
    console.log(INFO_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`info needs one FILE, current value is ${positionals.length} paths`);
  }
  const path = positionals[0];
  const form = tapeFormOf(path);
  if (form === null) throw new UsageError(`unknown tape form of "${path}" (extension)`);
  const size = (await Deno.stat(path)).size;
  const input = openInput(path, form, !v.lenient);
  const tally = new Tally();
  for await (const ev of input.events) tally.add(ev);
  console.log(
    [
      `file:      ${path}`,
      `form:      ${form}`,
      `size:      ${bytes(size)}`,
      ...input.details(),
      ...tally.lines(),
      ...anomalyLines(input),
    ].join("\n"),
  );
  return 0;
}

/** Runs the task; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  try {
    if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
      if (cmd === undefined) {
        console.error(`error: no command given\n\n${HELP}`);
        return 2;
      }
      console.log(HELP);
      return 0;
    }
    if (cmd === "convert") return await convert(rest);
    if (cmd === "info") return await info(rest);
    throw new UsageError(`unknown command "${cmd}"`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      const help = cmd === "convert" ? CONVERT_HELP : cmd === "info" ? INFO_HELP : HELP;
      console.error(`error: ${(e as Error).message}\n\n${help}`);
      return 2;
    }
    if (e instanceof TapeError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof Deno.errors.NotFound) {
      console.error(`error: ${(e as Error).message}`);
      return 1;
    }
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
