/**
 * Lines read in place (ndjson_canonical.ts) against the same lines read
 * through `JSON.parse` (`inPlace: false`): the same events, errors, anomalies
 * and counts, over the writer's lines and random edits of them.
 */
import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { NameTable, scanCanonicalLine } from "./ndjson_canonical.ts";
import { NdjsonTapeParser } from "./ndjson_reader.ts";
import { formatEventLine } from "./ndjson_writer.ts";

const M1 = "KXBENCH-E01-B2";
const M2 = "KXÉTÉ-26JUL-T85"; // not ASCII
const PREAMBLE: TapeEvent[] = [
  { kind: "series", ts: 1, series: "KXBENCH", feeType: "quadratic", feeMultiplier: 700 },
  { kind: "event", ts: 1, event: "KXBENCH-E01", series: "KXBENCH", mutuallyExclusive: true },
  {
    kind: "market",
    ts: 1,
    market: M1,
    event: "KXBENCH-E01",
    strikeType: "between",
    floorStrike: 100,
    capStrike: 101,
    openTs: 1,
    closeTs: 9e12,
    priceStep: 100,
  },
  {
    kind: "market",
    ts: 1,
    market: M2,
    event: "KXBENCH-E01",
    strikeType: "greater",
    floorStrike: 85,
    openTs: 1,
    closeTs: 9e12,
    priceStep: 100,
  },
  {
    kind: "book_snapshot",
    ts: 2,
    market: M1,
    seq: 4,
    yesPrices: [4000],
    yesSizes: [500],
    noPrices: [5000],
    noSizes: [300],
  },
];
const PREAMBLE_LINES = PREAMBLE.map(formatEventLine);

/** What a parser made of a tape: its events, or where it stopped, and its counts. */
function outcome(lines: readonly string[], strict: boolean, inPlace: boolean) {
  const parser = new NdjsonTapeParser("t.ndjson", { strict, inPlace });
  const events: (TapeEvent | null)[] = [];
  let error: { file: string; line: number; field: string; detail: string } | null = null;
  const text = lines.join("\n");
  let from = 0;
  try {
    for (let i = 0; i < lines.length; i++) {
      // Lines are read where they lie in the whole text, as the block source reads them.
      const to = from + lines[i].length;
      events.push(parser.parseLineIn(text, from, to, i + 1));
      from = to + 1;
    }
  } catch (e) {
    if (!(e instanceof TapeError)) throw e;
    error = { file: e.file, line: e.line, field: e.field, detail: e.detail };
  }
  return {
    events,
    error,
    anomalies: [...parser.anomalies],
    anomalyCount: parser.anomalyCount,
    linesRead: parser.linesRead,
    eventsRead: parser.eventsRead,
  };
}

/** Asserts both ways of reading agree on a tape, in both modes. */
function assertSame(lines: readonly string[]): void {
  for (const strict of [true, false]) {
    assert.deepEqual(
      outcome(lines, strict, true),
      outcome(lines, strict, false),
      `${strict ? "strict" : "lenient"}: ${lines[lines.length - 1]}`,
    );
  }
}

function randomPrice(rng: Prng): number {
  return rng.next() < 0.05 ? [0, 1, 9999, 10_000][rng.int(4)] : 1 + rng.int(9999);
}

function randomCount(rng: Prng): number {
  return rng.next() < 0.05 ? [0, 1, 99_999_999_900][rng.int(3)] : 1 + rng.int(100_000);
}

const VALUES = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, -97000.5];

/** A random hot event as the writer would write it (valid or not for the validator). */
function randomHot(rng: Prng, ts: number): TapeEvent {
  const market = rng.next() < 0.8 ? M1 : M2;
  const side = rng.next() < 0.5 ? "yes" : "no";
  switch (rng.int(4)) {
    case 0:
      return {
        kind: "book_delta",
        ts,
        market,
        seq: rng.next() < 0.7 ? 5 : rng.int(20),
        side,
        price: randomPrice(rng),
        delta: (rng.next() < 0.5 ? -1 : 1) * randomCount(rng),
      };
    case 1: {
      const bid = randomPrice(rng);
      return {
        kind: "quote",
        ts,
        market,
        yesBid: bid,
        yesAsk: rng.next() < 0.9 ? Math.min(10_000, bid + rng.int(300)) : randomPrice(rng),
        yesBidSize: rng.next() < 0.3 ? 0 : randomCount(rng),
        yesAskSize: rng.next() < 0.3 ? 0 : randomCount(rng),
      };
    }
    case 2:
      return {
        kind: "trade",
        ts,
        market,
        price: randomPrice(rng),
        count: randomCount(rng),
        takerSide: side,
      };
    default: {
      const u = rng.next();
      const value = u < 0.3
        ? VALUES[rng.int(VALUES.length)]
        : u < 0.6
        ? Math.round(rng.normal() * 1e6) / 10 ** rng.int(8)
        : rng.normal() * 10 ** (rng.int(40) - 20);
      return { kind: "underlying", ts, symbol: rng.next() < 0.9 ? "BTC" : "U€1", value };
    }
  }
}

/** Characters edits put in: JSON punctuation, digits, escapes, spaces, controls, non-ASCII. */
const EDIT_CHARS = '"\\{}[],:0123456789.-+eEtrufalsnyo \t\u0001\u007fé\u2028\uD83D';

/**
 * The line with 1 to 3 random edits: replace, insert or delete a character,
 * repeat a piece, or put a digit in place of a digit (which keeps most lines in
 * the form read in place, with other values).
 */
function edit(rng: Prng, line: string): string {
  const edits = 1 + rng.int(3);
  for (let k = 0; k < edits; k++) {
    let at = rng.int(line.length + 1);
    const c = EDIT_CHARS[rng.int(EDIT_CHARS.length)];
    switch (rng.int(6)) {
      case 4:
      case 5: {
        const digits = [...line.matchAll(/[0-9]/g)].map((m) => m.index);
        at = digits[rng.int(digits.length)];
        line = line.slice(0, at) + String(rng.int(10)) + line.slice(at + 1);
        break;
      }
      case 0:
        line = line.slice(0, at) + c + line.slice(at + 1);
        break;
      case 1:
        line = line.slice(0, at) + c + line.slice(at);
        break;
      case 2:
        line = line.slice(0, at) + line.slice(at + 1);
        break;
      default: {
        const len = 1 + rng.int(12);
        line = line.slice(0, at) + line.slice(at, at + len) + line.slice(at);
      }
    }
  }
  return line;
}

Deno.test("every hot line the writer writes is read in place, as JSON.parse reads it", () => {
  const rng = new Prng(11);
  for (let i = 0; i < 4000; i++) {
    const line = formatEventLine(randomHot(rng, 10 + i));
    const ev = scanCanonicalLine(line, 0, line.length, new NameTable());
    assert.notEqual(ev, null, line);
    assertSame([...PREAMBLE_LINES, line]);
  }
});

Deno.test("edited lines: read in place or through JSON.parse, the same events, errors and anomalies", () => {
  const rng = new Prng(20261121);
  const names = new NameTable();
  let inPlace = 0;
  let invalid = 0;
  for (let i = 0; i < 20_000; i++) {
    const line = edit(rng, formatEventLine(randomHot(rng, 10 + rng.int(3))));
    if (scanCanonicalLine(line, 0, line.length, names) !== null) inPlace++;
    const lines = [...PREAMBLE_LINES, line];
    assertSame(lines);
    if (outcome(lines, true, false).error !== null) invalid++;
  }
  // Both ways were exercised: edits the scanner still reads (a digit for a
  // digit, say) and edits it leaves to JSON.parse; and many edited lines are errors.
  assert.ok(inPlace > 2000 && inPlace < 18_000, `read in place: ${inPlace}`);
  assert.ok(invalid > 5000, `invalid: ${invalid}`);
});

Deno.test("error texts of a line read in place quote the line as written", () => {
  const crossed = `{"ts":5,"type":"quote","market":"${M1}","yes_bid":"0.70","yes_ask":"0.6000"}`;
  assert.notEqual(scanCanonicalLine(crossed, 0, crossed.length, new NameTable()), null);
  const got = outcome([...PREAMBLE_LINES, crossed], true, true);
  assert.deepEqual(got.error, {
    file: "t.ndjson",
    line: PREAMBLE_LINES.length + 1,
    field: "yes_bid",
    detail:
      "Cannot accept quote: crossed, yes_bid 0.70 is above yes_ask 0.6000, current value is 0.70",
  });
  assertSame([...PREAMBLE_LINES, crossed]);
});

Deno.test("lines in any other form are left to JSON.parse and read the same", () => {
  const forms = [
    `{"ts":5,"type":"trade","market":"${M1}","count":"1.00","price":"0.5000","taker_side":"yes"}`,
    `{"ts":5, "type":"trade","market":"${M1}","price":"0.5000","count":"1.00","taker_side":"yes"}`,
    `{"ts":5,"type":"trade","market":"${M1}","price":"0.5000","count":"1.00","taker_side":"yes"} `,
    `{"ts":5,"type":"trade","market":"KXBENCH-E01-\\u0042\\u0032","price":"0.5000","count":"1.00","taker_side":"yes"}`,
    `{"ts":5.0,"type":"trade","market":"${M1}","price":"0.5000","count":"1.00","taker_side":"yes"}`,
    `{"ts":05,"type":"trade","market":"${M1}","price":"0.5000","count":"1.00","taker_side":"yes"}`,
    `{"ts":1234567890123456,"type":"underlying","symbol":"BTC","value":1}`,
    `{"ts":5,"type":"underlying","symbol":"BTC","value":1,"value":2}`,
    `{"ts":5,"type":"underlying","symbol":"","value":1}`,
    `{"ts":5,"type":"underlying","symbol":"BTC","value":01}`,
    `{"ts":5,"type":"underlying","symbol":"BTC","value":1.}`,
    `{"ts":5,"type":"underlying","symbol":"BTC","value":"1"}`,
    `{"ts":5,"type":"lifecycle","market":"${M1}","status":"closed"}`,
    `{"ts":5,"type":"quote","market":"${M1}","yes_bid":"0.5000","yes_ask":"0.6000","yes_ask_size":"1.00","yes_bid_size":"2.00"}`,
  ];
  for (const line of forms) {
    assert.equal(scanCanonicalLine(line, 0, line.length, new NameTable()), null, line);
    assertSame([...PREAMBLE_LINES, line]);
  }
});

Deno.test("NameTable gives each name back, past its growth and past its limit", () => {
  const names = new NameTable();
  const text = Array.from({ length: NameTable.MAX + 500 }, (_, i) => `"M-${i}"`).join("");
  const read: string[] = [];
  for (let round = 0; round < 2; round++) {
    let from = 0;
    for (let i = 0; i < NameTable.MAX + 500; i++) {
      const to = text.indexOf('"', from + 1);
      const line = `{"ts":1,"type":"underlying","symbol":${text.slice(from, to + 1)},"value":1}`;
      const ev = scanCanonicalLine(line, 0, line.length, names);
      assert.ok(ev !== null && ev.kind === "underlying");
      if (round === 0) read.push(ev.symbol);
      else assert.equal(ev.symbol, read[i]);
      assert.equal(ev.symbol, `M-${i}`);
      from = to + 1;
    }
  }
  assert.equal(names.size, NameTable.MAX);
});
