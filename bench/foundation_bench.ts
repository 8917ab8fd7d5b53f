/**
 * `deno task bench`: micro-benchmarks of the foundation's hot paths on seeded,
 * generated inputs (nothing committed). The full KX-REPLAY suite with peers
 * (pandas, sklearn) and ceilings arrives with the performance issue.
 *
 * @module
 */

import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import { parseNdjsonText } from "../lib/tape/ndjson_reader.ts";
import { arrayStream, StreamMerger } from "../lib/venue/stream.ts";
import { DEFAULT_REPLAY_CONFIG, replay } from "../lib/venue/replay.ts";
import { BtcStrategy } from "../strategies/btc/strategy.ts";
import { brierScore, logLoss } from "../lib/scoring/binary.ts";
import { feeTicks } from "../lib/fees/fees.ts";
import { Prng } from "../lib/random/prng.ts";
import type { Strategy } from "../lib/engine/strategy.ts";

const events = generateBtcTape({ seed: 1 });
const text = events.map(formatEventLine).join("\n");
const idle: Strategy = { name: "idle", params: {}, onEvent() {} };

Deno.bench({
  name: `replay ${events.length} synthetic events, idle strategy`,
  group: "replay",
  baseline: true,
  async fn() {
    await replay(new StreamMerger([arrayStream("bench", events)]), idle, DEFAULT_REPLAY_CONFIG);
  },
});

Deno.bench({
  name: `replay ${events.length} synthetic events, BTC strategy`,
  group: "replay",
  async fn() {
    await replay(
      new StreamMerger([arrayStream("bench", events)]),
      new BtcStrategy(),
      DEFAULT_REPLAY_CONFIG,
    );
  },
});

Deno.bench({
  name: `parse + validate ${events.length} NDJSON lines`,
  group: "tape",
  fn() {
    let n = 0;
    for (const _ of parseNdjsonText(text, "bench.ndjson")) n++;
    if (n !== events.length) throw new Error(`parsed ${n} of ${events.length}`);
  },
});

const rng = new Prng(7);
const N = 1_000_000;
const p = new Float64Array(N);
const y = new Float64Array(N);
for (let i = 0; i < N; i++) {
  p[i] = rng.next();
  y[i] = rng.next() < p[i] ? 1 : 0;
}

Deno.bench({ name: "Brier score, 1M pairs", group: "scoring", fn: () => void brierScore(p, y) });
Deno.bench({ name: "log loss, 1M pairs", group: "scoring", fn: () => void logLoss(p, y) });

const fee = { feeType: "quadratic" as const, multiplier: 10000 };
Deno.bench({
  name: "taker fee, 10k (price, count) pairs",
  group: "fees",
  fn() {
    for (let i = 1; i <= 10_000; i++) feeTicks(fee, "taker", (i % 9999) + 1, 100 * ((i % 50) + 1));
  },
});
