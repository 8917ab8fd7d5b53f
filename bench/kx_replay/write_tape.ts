/**
 * Writes one form of the KX-REPLAY workload in its own process, for
 * `deno task bench`:
 * `deno run -A bench/kx_replay/write_tape.ts --form ndjson|columnar|columnar-l2|sqlite --file F --events N --seed S`
 *
 * Prints one JSON line: the events written and the seconds it took.
 *
 * Why a process of its own: writing a 10M-event tape allocates gigabytes, and
 * a process that just did so keeps V8's garbage collector threads busy for a
 * while after (shrinking and sweeping its heap). On a 2-core machine those
 * threads took a core from the timed replay started right after: the columnar
 * path measured about 12% slower from such a parent than from an idle one.
 * Generating in a child leaves the bench's own process idle while it times.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parsedOrExitCode } from "../../tasks/cli_args.ts";
import { workloadEvents, writeWorkload } from "./workload.ts";
import { l2WorkloadEvents } from "./l2_workload.ts";
import { writeTapeAtomically } from "../../lib/tape/tape_file.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";

/** The tape forms this script writes. */
export const TAPE_FORMS = ["ndjson", "columnar", "columnar-l2", "sqlite"] as const;
/** One of {@link TAPE_FORMS}. */
export type TapeFormName = typeof TAPE_FORMS[number];

/** What the script prints. */
export interface WriteResult {
  readonly events: number;
  readonly seconds: number;
}

/** Yields `events` and counts them in `n.count`. */
function* counted(events: Iterable<TapeEvent>, n: { count: number }): Iterable<TapeEvent> {
  for (const ev of events) {
    n.count++;
    yield ev;
  }
}

/** Writes `form` of the workload (`seed`, `events`) to `path`; returns the events written. */
export async function writeTape(
  form: TapeFormName,
  path: string,
  seed: number,
  events: number,
): Promise<number> {
  if (form === "ndjson") return (await writeWorkload(path, { seed, events })).events;
  const n = { count: 0 };
  const workload = form === "columnar-l2"
    ? l2WorkloadEvents({ seed, events })
    : workloadEvents({ seed, events });
  await writeTapeAtomically(path, form === "sqlite" ? "sqlite" : "kxc", counted(workload, n));
  return n.count;
}

const USAGE = `usage: deno run -A bench/kx_replay/write_tape.ts --form ${
  TAPE_FORMS.join("|")
} --file F --events N [--seed S]

Writes one form of the seeded KX-REPLAY workload (bench/KX_REPLAY.md) to F and
prints {"events": N, "seconds": S}. deno task bench runs it; run it yourself to
keep a tape for profiling or for deno task backtest.`;

async function main(): Promise<number> {
  const values = parsedOrExitCode(
    () =>
      parseArgs({
        args: Deno.args,
        options: {
          form: { type: "string" },
          file: { type: "string" },
          events: { type: "string" },
          seed: { type: "string", default: "1" },
          help: { type: "boolean", short: "h", default: false },
        },
      }).values,
    USAGE,
  );
  if (typeof values === "number") return values;
  const form = values.form as TapeFormName;
  if (!TAPE_FORMS.includes(form) || values.file === undefined || values.events === undefined) {
    console.error(USAGE);
    return 2;
  }
  for (const [name, v] of [["events", values.events], ["seed", values.seed]] as const) {
    if (!Number.isSafeInteger(Number(v)) || Number(v) < 0 || v.trim() === "") {
      console.error(`error: --${name} must be an integer >= 0, current value is "${v}"`);
      return 2;
    }
  }
  const t0 = performance.now();
  const events = await writeTape(form, values.file, Number(values.seed), Number(values.events));
  const out: WriteResult = { events, seconds: (performance.now() - t0) / 1000 };
  console.log(JSON.stringify(out));
  return 0;
}

if (import.meta.main) Deno.exit(await main());
