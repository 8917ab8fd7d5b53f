/**
 * Speed of the columnar tape reader (`.kxc`, docs/COLUMNAR.md) on the 1-hour
 * synthetic tape (`generateBtcTape({ seed: 1, hours: 1 })`) repeated, shifted
 * in time, into one file:
 *
 * (a) the scan ceiling: `scanColumnarTs` reads every block (checksum verified)
 *     and sums the ts column, decoding and validating nothing;
 * (b) decode + validate on the calling thread: `columnarBlockSource(path,
 *     { worker: false })` and `block.event(i)` for every event (every event
 *     through the TapeValidator), summing `ts`;
 * (c) the same through the worker pipeline (the default): reading, checksums
 *     and validation run in the worker thread, the main thread only lays views
 *     over each block and decodes `event(i)`; this is what a replay loop sees.
 *
 * Under `deno bench` (`deno task bench`) it registers all three on ~1M events.
 * As a script it prints events/s of each over several rounds on ~10M events
 * (the target for (c) is >= 20M events/s), or on an existing file with `--file`:
 *
 * `deno run --allow-read --allow-write bench/columnar_bench.ts --report [--events N] [--rounds R] [--file F.kxc]`
 *
 * @module
 */

import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { columnarBlockSource, scanColumnarTs } from "../lib/tape/columnar_reader.ts";
import { ColumnarTapeWriter } from "../lib/tape/columnar_writer.ts";
import type { TapeEvent } from "../lib/tape/events.ts";

function intArg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number.parseInt(Deno.args[i + 1], 10) : fallback;
}

/** Writes the synthetic hour repeated until at least `target` events; returns the count. */
async function writeRepeated(path: string, target: number): Promise<number> {
  const hour = generateBtcTape({ seed: 1, hours: 1 });
  const span = hour[hour.length - 1].ts - hour[0].ts + 1000;
  const reps = Math.max(1, Math.ceil(target / hour.length));
  const w = await ColumnarTapeWriter.create(path);
  for (let r = 0; r < reps; r++) {
    const off = r * span;
    for (const ev of hour) {
      const p = w.write(off === 0 ? ev : { ...ev, ts: ev.ts + off } as TapeEvent);
      if (p !== undefined) await p;
    }
  }
  await w.close();
  return reps * hour.length;
}

/** (b) or (c): every event decoded and validated; returns [events, ts sum]. */
async function decodeAll(path: string, worker: boolean): Promise<[number, number]> {
  const src = columnarBlockSource(path, { worker });
  let n = 0;
  let sum = 0;
  for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
    for (let i = 0; i < b.length; i++) sum += b.event(i).ts;
    n += b.length;
  }
  return [n, sum];
}

function stringArg(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

const mps = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;

async function report(): Promise<void> {
  const target = intArg("--events", 10_000_000);
  const rounds = intArg("--rounds", 5);
  const given = stringArg("--file");
  const dir = given === undefined ? await Deno.makeTempDir({ prefix: "columnar_bench_" }) : null;
  try {
    let t = performance.now();
    const path = given ?? `${dir}/tape.kxc`;
    const n = given === undefined
      ? await writeRepeated(path, target)
      : (await scanColumnarTs(path)).events;
    const size = (await Deno.stat(path)).size;
    console.log(
      `${given === undefined ? "wrote" : "read"} ${n.toLocaleString("en-US")} events, ${
        size.toLocaleString("en-US")
      } bytes (${(size / n).toFixed(1)} B/event) in ${
        ((performance.now() - t) / 1000).toFixed(2)
      } s`,
    );
    const best = { scan: 0, sync: 0, worker: 0 };
    for (let r = 1; r <= rounds; r++) {
      t = performance.now();
      const s = await scanColumnarTs(path);
      const a = s.events / ((performance.now() - t) / 1000);
      t = performance.now();
      const [m] = await decodeAll(path, false);
      const b = m / ((performance.now() - t) / 1000);
      t = performance.now();
      const [w] = await decodeAll(path, true);
      const c = w / ((performance.now() - t) / 1000);
      if (s.events !== n || m !== n || w !== n) {
        throw new Error(`read ${s.events} / ${m} / ${w} of ${n} events`);
      }
      best.scan = Math.max(best.scan, a);
      best.sync = Math.max(best.sync, b);
      best.worker = Math.max(best.worker, c);
      console.log(
        `round ${r}: (a) scan ceiling ${mps(a)}, (b) decode+validate, calling thread ${
          mps(b)
        }, (c) worker pipeline ${mps(c)}`,
      );
    }
    console.log(
      `best: (a) ${mps(best.scan)}, (b) ${mps(best.sync)}, (c) ${
        mps(best.worker)
      } (target for (c): >= 20 M/s)`,
    );
  } finally {
    if (dir !== null) await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args.includes("--report")) {
  await report();
} else {
  const dir = await Deno.makeTempDir({ prefix: "columnar_bench_" });
  const path = `${dir}/tape.kxc`;
  const n = await writeRepeated(path, 1_000_000);
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  Deno.bench({
    name: `kxc scan ceiling (ts column), ${n} events`,
    group: "columnar",
    baseline: true,
    async fn() {
      await scanColumnarTs(path);
    },
  });
  Deno.bench({
    name: `kxc decode + validate, calling thread, ${n} events`,
    group: "columnar",
    async fn() {
      await decodeAll(path, false);
    },
  });
  Deno.bench({
    name: `kxc decode + validate, worker pipeline, ${n} events`,
    group: "columnar",
    async fn() {
      await decodeAll(path, true);
    },
  });
}
