/**
 * Throughput check of the NDJSON reading path (not a test, not a `deno bench`
 * file): writes the synthetic tape (`generateBtcTape({ seed: 1 })`) to a temp
 * file, then measures, interleaved over several rounds,
 *
 * (a) the raw ceiling: read the file in chunks, decode UTF-8, split lines and
 *     `JSON.parse` each line, with no validation;
 * (b) `ndjsonBlockSource`: the same reading plus decoding into events and the
 *     full validation;
 *
 * and prints lines/s of both and the ratio (b)/(a) (target: >= 0.70). It also
 * times the units parsers (`parsePrice` + `parseCount` pairs/s).
 *
 * Run: `deno run --allow-read --allow-write --allow-env bench/ndjson_speed.ts [--rounds N] [--repeat K]`
 * (`--repeat K` writes the tape K times, shifted in time, for a larger file).
 *
 * @module
 */

import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import { ndjsonBlockSource } from "../lib/tape/ndjson_source.ts";
import { parsePrice } from "../lib/units/price.ts";
import { parseCount } from "../lib/units/quantity.ts";

const BLOCK_BYTES = 1 << 20;

function intArg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number.parseInt(Deno.args[i + 1], 10) : fallback;
}

/** (a) read + decode + split + JSON.parse; returns the number of lines parsed. */
async function ceiling(path: string): Promise<number> {
  const file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(BLOCK_BYTES);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  let lines = 0;
  let sink = 0;
  try {
    for (let n = await file.read(buf); n !== null; n = await file.read(buf)) {
      const text = rest + decoder.decode(buf.subarray(0, n), { stream: true });
      let start = 0;
      let end = text.indexOf("\n");
      while (end >= 0) {
        const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        const o = JSON.parse(text.slice(start, stop));
        sink += o.ts;
        lines++;
        start = end + 1;
        end = text.indexOf("\n", start);
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest.length > 0) {
      sink += JSON.parse(rest).ts;
      lines++;
    }
  } finally {
    file.close();
  }
  if (sink < 0) throw new Error("unreachable");
  return lines;
}

/** (b) the block source, full parse and validation; returns the number of events. */
async function ours(path: string): Promise<number> {
  const src = ndjsonBlockSource(path, { blockBytes: BLOCK_BYTES });
  let n = 0;
  for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) n += b.length;
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function rate(n: number, ms: number): string {
  return `${(n / ms * 1000 / 1e6).toFixed(3)}M`;
}

const rounds = intArg("--rounds", 9);
const repeat = intArg("--repeat", 1);
const events = generateBtcTape({ seed: 1 });
const lines = events.map(formatEventLine);
const path = await Deno.makeTempFile({ prefix: "ndjson-speed-", suffix: ".ndjson" });
try {
  let text = lines.join("\n") + "\n";
  if (repeat > 1) {
    // Later copies are the same tape shifted in time: re-declarations carry the
    // same content (accepted) and each copy's snapshots reset the seqs.
    const span = events[events.length - 1].ts - events[0].ts + 1;
    const parts = [text];
    for (let k = 1; k < repeat; k++) {
      parts.push(
        events.map((e) => formatEventLine({ ...e, ts: e.ts + k * span })).join("\n") + "\n",
      );
    }
    text = parts.join("");
  }
  await Deno.writeTextFile(path, text);
  const total = lines.length * repeat;
  const bytes = (await Deno.stat(path)).size;
  console.log(
    `tape: ${total.toLocaleString("en-US")} lines, ${
      (bytes / 1e6).toFixed(1)
    } MB (SYNTHETIC, seed 1)`,
  );

  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    const na = await ceiling(path);
    ta.push(performance.now() - t);
    t = performance.now();
    const nb = await ours(path);
    tb.push(performance.now() - t);
    if (na !== total || nb !== total) throw new Error(`counted ${na} / ${nb} of ${total}`);
  }
  // The first round warms up the JIT; it is left out when there are enough rounds.
  const a = rounds > 2 ? ta.slice(1) : ta;
  const b = rounds > 2 ? tb.slice(1) : tb;
  const ma = median(a);
  const mb = median(b);
  console.log(
    `(a) ceiling: read + split + JSON.parse   median ${rate(total, ma)} lines/s  (best ${
      rate(total, Math.min(...a))
    })`,
  );
  console.log(
    `(b) ndjsonBlockSource parse + validate   median ${rate(total, mb)} lines/s  (best ${
      rate(total, Math.min(...b))
    })`,
  );
  console.log(`ratio (b)/(a): ${(ma / mb).toFixed(2)} (target >= 0.70)`);

  // Units parsers: one price and one count per pair, as on a book_delta line.
  const prices: string[] = [];
  const counts: string[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    prices.push(`0.${String(1 + (i * 7919) % 9999).padStart(4, "0")}`);
    counts.push(`${1 + (i % 997)}.${String(i % 100).padStart(2, "0")}`);
  }
  const tu: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < prices.length; i++) sink += parsePrice(prices[i]) + parseCount(counts[i]);
    tu.push(performance.now() - t);
  }
  if (sink < 0) throw new Error("unreachable");
  console.log(`units: parsePrice + parseCount  median ${rate(prices.length, median(tu))} pairs/s`);
} finally {
  await Deno.remove(path);
}
