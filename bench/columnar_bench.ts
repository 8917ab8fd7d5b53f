/**
 * Speed of the columnar tape reader (`.kxc`, docs/COLUMNAR.md) on the 1-hour
 * synthetic tape (`generateBtcTape({ seed: 1, hours: 1 })`) repeated, shifted
 * in time, into one file:
 *
 * (a) the scan ceiling: `scanColumnarTs` reads every block (checksum verified)
 *     and sums the ts column, decoding and validating nothing;
 * (b) decode + validate: `columnarBlockSource` and `block.event(i)` for every
 *     event (every event through the TapeValidator), summing `ts`.
 *
 * Under `deno bench` (`deno task bench`) it registers both on ~1M events. As a
 * script it prints events/s of both over several rounds on ~10M events (the
 * target for (b) is >= 20M events/s):
 *
 * `deno run --allow-read --allow-write bench/columnar_bench.ts --report [--events N] [--rounds R]`
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

/** (b): every event decoded and validated; returns [events, ts sum]. */
async function decodeAll(path: string): Promise<[number, number]> {
  const src = columnarBlockSource(path);
  let n = 0;
  let sum = 0;
  for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
    for (let i = 0; i < b.length; i++) sum += b.event(i).ts;
    n += b.length;
  }
  return [n, sum];
}

async function report(): Promise<void> {
  const target = intArg("--events", 10_000_000);
  const rounds = intArg("--rounds", 5);
  const dir = await Deno.makeTempDir({ prefix: "columnar_bench_" });
  try {
    const path = `${dir}/tape.kxc`;
    let t = performance.now();
    const n = await writeRepeated(path, target);
    const size = (await Deno.stat(path)).size;
    console.log(
      `wrote ${n.toLocaleString("en-US")} events, ${size.toLocaleString("en-US")} bytes (${
        (size / n).toFixed(1)
      } B/event) in ${((performance.now() - t) / 1000).toFixed(2)} s`,
    );
    const best = { scan: 0, decode: 0 };
    for (let r = 1; r <= rounds; r++) {
      t = performance.now();
      const s = await scanColumnarTs(path);
      const a = s.events / ((performance.now() - t) / 1000);
      t = performance.now();
      const [m] = await decodeAll(path);
      const b = m / ((performance.now() - t) / 1000);
      if (s.events !== n || m !== n) throw new Error(`read ${s.events} / ${m} of ${n} events`);
      best.scan = Math.max(best.scan, a);
      best.decode = Math.max(best.decode, b);
      console.log(
        `round ${r}: (a) scan ceiling ${(a / 1e6).toFixed(1)} M events/s, (b) decode+validate ${
          (b / 1e6).toFixed(1)
        } M events/s, ratio ${(b / a).toFixed(2)}`,
      );
    }
    console.log(
      `best: (a) ${(best.scan / 1e6).toFixed(1)} M/s, (b) ${
        (best.decode / 1e6).toFixed(1)
      } M/s (target for (b): >= 20 M/s)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
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
    name: `kxc decode + validate, ${n} events`,
    group: "columnar",
    async fn() {
      await decodeAll(path);
    },
  });
}
