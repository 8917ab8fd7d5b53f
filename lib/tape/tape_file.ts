/**
 * Writing a whole tape to a file of the form its extension names, atomically:
 * the events are checked by the tape validator (strict), written to
 * `<path>.tmp` and renamed, so a failure never leaves a partial tape and never
 * clobbers an existing one. Shared by `deno task import`, `deno task fetch` and
 * `deno task tape convert`.
 *
 * @module
 */

import type { TapeEvent } from "./events.ts";
import { TapeValidator } from "./validator.ts";
import { writeNdjsonFile } from "./ndjson_writer.ts";
import { writeSqliteTape } from "./sqlite_tape.ts";
import { ColumnarTapeWriter } from "./columnar_writer.ts";

/** The three tape forms. */
export type TapeForm = "ndjson" | "kxc" | "sqlite";

/** The form a path's extension names (.ndjson/.jsonl, .kxc, .sqlite/.db), or null. */
export function tapeFormOf(path: string): TapeForm | null {
  const p = path.toLowerCase();
  if (p.endsWith(".ndjson") || p.endsWith(".jsonl")) return "ndjson";
  if (p.endsWith(".kxc")) return "kxc";
  if (p.endsWith(".sqlite") || p.endsWith(".db")) return "sqlite";
  return null;
}

type Events = Iterable<TapeEvent> | AsyncIterable<TapeEvent>;

async function writeForm(path: string, form: TapeForm, events: Events, blockSize?: number) {
  if (form === "ndjson") return void await writeNdjsonFile(path, events);
  if (form === "sqlite") return void await writeSqliteTape(path, events);
  const w = await ColumnarTapeWriter.create(path, { blockSize });
  try {
    if (Symbol.asyncIterator in events) {
      for await (const ev of events) {
        const p = w.write(ev);
        if (p !== undefined) await p;
      }
    } else {
      for (const ev of events) {
        const p = w.write(ev);
        if (p !== undefined) await p;
      }
    }
    await w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch {
    // not there
  }
}

/**
 * Writes `events` (checked by the caller) to `path` in `form` through
 * `<path>.tmp` and a rename: on a failure the temporary file (and SQLite's
 * journal) is removed and `path` is left as it was.
 *
 * @param blockSize Events per block of a `.kxc` file (the writer's default when not given).
 */
export async function writeTapeAtomically(
  path: string,
  form: TapeForm,
  events: Events,
  blockSize?: number,
): Promise<void> {
  const tmp = path + ".tmp";
  try {
    await writeForm(tmp, form, events, blockSize);
    await Deno.rename(tmp, path);
  } catch (e) {
    await removeQuietly(tmp);
    await removeQuietly(tmp + "-journal");
    throw e;
  }
}

/**
 * Validates `events` as a tape (strict; errors name `name` and the event's
 * 1-based position) and writes them to `path` in the form of its extension,
 * through `<path>.tmp` and a rename.
 *
 * @throws {RangeError} When the extension names no tape form.
 * @throws {TapeError} When the events do not form a valid tape (nothing is written).
 */
export async function writeTapeFile(
  path: string,
  events: readonly TapeEvent[],
  name: string,
): Promise<void> {
  const form = tapeFormOf(path);
  if (form === null) {
    throw new RangeError(
      `Cannot write tape: unknown form (use .ndjson, .jsonl, .kxc, .sqlite or .db), current value is ${
        JSON.stringify(path)
      }`,
    );
  }
  const validator = new TapeValidator(name, { strict: true });
  for (let i = 0; i < events.length; i++) validator.check(events[i], i + 1);
  await writeTapeAtomically(path, form, events);
}
