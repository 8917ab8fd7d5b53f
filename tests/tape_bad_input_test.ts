/**
 * Contract tests of the NDJSON tape reader on bad input: every class of error
 * names the file, the 1-based line and the field, and lenient mode counts the
 * anomalies while still returning the good lines.
 */
import assert from "node:assert/strict";
import { TapeError } from "../lib/tape/errors.ts";
import { NdjsonTapeParser, parseNdjsonText, readNdjsonFile } from "../lib/tape/ndjson_reader.ts";

const FILE = "bad.ndjson";
const M = "KXHIGHNY-26JAN05-B40.5";

/** Lines 1-4: a series, an event, a market, a snapshot at seq 7. */
const HEADER = [
  '{"ts":1000,"type":"series","series":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":1}',
  '{"ts":1000,"type":"event","event":"KXHIGHNY-26JAN05","series":"KXHIGHNY","mutually_exclusive":true,"outcome_step":1}',
  `{"ts":1000,"type":"market","market":"${M}","event":"KXHIGHNY-26JAN05","strike_type":"between","floor_strike":40,"cap_strike":41,"open_ts":1000,"close_ts":50000}`,
  `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":7,"yes":[["0.30","5.00"]],"no":[["0.60","5.00"]]}`,
];
const NEXT = HEADER.length + 1;

/** Parses HEADER + `bad` strictly and checks the TapeError thrown at `line` names `field`. */
function expectError(
  bad: string | string[],
  field: string,
  opts: { line?: number; includes?: string[]; header?: string[] } = {},
): TapeError {
  const header = opts.header ?? HEADER;
  const lines = [...header, ...(Array.isArray(bad) ? bad : [bad])];
  const line = opts.line ?? lines.length;
  let caught: unknown;
  try {
    for (const _ of parseNdjsonText(lines.join("\n"), FILE)) { /* drain */ }
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof TapeError, `expected a TapeError, got ${caught}`);
  assert.equal(caught.file, FILE);
  assert.equal(caught.line, line);
  assert.equal(caught.field, field);
  assert.ok(caught.message.includes(`${FILE}:${line}:`), caught.message);
  assert.ok(caught.message.includes(`"${field}"`), caught.message);
  for (const s of opts.includes ?? []) {
    assert.ok(caught.message.includes(s), `${caught.message} should include ${s}`);
  }
  return caught;
}

const trade = (price: string, count = '"1.00"', extra = "") =>
  `{"ts":3000,"type":"trade","market":"${M}","price":${price},"count":${count},"taker_side":"yes"${extra}}`;

Deno.test("invalid JSON names the line", () => {
  expectError('{"ts":3000,"type":"trade",', "(line)", { includes: ["JSON"] });
  expectError("[1,2,3]", "(line)", { includes: ["not a JSON object"] });
  expectError("42", "(line)");
});

Deno.test("missing or unknown type", () => {
  expectError(`{"ts":3000,"market":"${M}"}`, "type", { includes: ["missing"] });
  expectError(`{"ts":3000,"type":"orderbook","market":"${M}"}`, "type", {
    includes: ["unknown type", "orderbook"],
  });
  expectError('{"ts":3000,"type":7}', "type");
});

Deno.test("missing required field", () => {
  expectError(
    `{"ts":3000,"type":"trade","market":"${M}","price":"0.50","taker_side":"yes"}`,
    "count",
    { includes: ["missing"] },
  );
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","side":"yes","price":"0.50","delta":"1"}`,
    "seq",
  );
  expectError('{"ts":3000,"type":"underlying","symbol":"X"}', "value");
  expectError(
    '{"ts":3000,"type":"event","event":"E2","series":"KXHIGHNY"}',
    "mutually_exclusive",
  );
  expectError(
    '{"ts":3000,"type":"market","market":"M2","event":"KXHIGHNY-26JAN05","strike_type":"between","floor_strike":1,"cap_strike":2,"open_ts":0}',
    "close_ts",
  );
});

Deno.test("wrong-typed field", () => {
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":"8","side":"yes","price":"0.50","delta":"1"}`,
    "seq",
    { includes: ['"8"'] },
  );
  expectError(trade("0.5"), "price", { includes: ["dollar string"] });
  expectError(trade('"0.50"', "1"), "count");
  expectError('{"ts":3000,"type":"underlying","symbol":"X","value":"1.5"}', "value");
  expectError(`{"ts":3000,"type":"lifecycle","market":7,"status":"open"}`, "market");
  expectError(
    '{"ts":3000,"type":"event","event":"E2","series":"KXHIGHNY","mutually_exclusive":"yes"}',
    "mutually_exclusive",
  );
});

Deno.test("unknown field (a typo) is an error naming it", () => {
  expectError(
    `{"ts":3000,"type":"trade","market":"${M}","prcie":"0.50","price":"0.50","count":"1","taker_side":"yes"}`,
    "prcie",
    { includes: ["unknown field"] },
  );
  expectError(
    `{"ts":3000,"type":"settlement","market":"${M}","result":"yes","expiration_val":40.5}`,
    "expiration_val",
  );
});

Deno.test("ts must be a non-negative safe integer", () => {
  for (const ts of ["1.5", "-1", '"3000"', "9007199254740993", "null"]) {
    expectError(`{"ts":${ts},"type":"underlying","symbol":"X","value":1}`, "ts");
  }
  expectError('{"type":"underlying","symbol":"X","value":1}', "ts", { includes: ["missing"] });
});

Deno.test("ts going backwards names both values", () => {
  expectError('{"ts":1999,"type":"underlying","symbol":"X","value":1}', "ts", {
    includes: ["2000", "1999", "backwards"],
  });
});

Deno.test("NaN or malformed price names the field", () => {
  expectError(trade('"NaN"'), "price", { includes: ["NaN"] });
  expectError(trade('"abc"'), "price", { includes: ["abc"] });
  expectError(trade('""'), "price");
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.40","yes_ask":"x"}`,
    "yes_ask",
  );
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":8,"side":"yes","price":"1e-1","delta":"1"}`,
    "price",
  );
});

Deno.test("price outside (0, 1) or finer than $0.0001", () => {
  for (const p of ['"0"', '"0.0000"', '"1"', '"1.0000"', '"1.5"', '"-0.10"', '"0.56001"']) {
    expectError(trade(p), "price", { includes: [p.slice(1, -1)] });
  }
  // A quote may miss one side ($0 bid or $1 ask), never both, and never go outside [0, 1].
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.00","yes_ask":"1.00"}`,
    "yes_bid",
    { includes: ["both sides missing"] },
  );
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.10","yes_ask":"1.10"}`,
    "yes_ask",
  );
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"-0.01","yes_ask":"0.10"}`,
    "yes_bid",
  );
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["1.00","1"]],"no":[]}`,
    "yes",
  );
});

Deno.test("bad counts: negative, zero where a positive is required, malformed", () => {
  expectError(trade('"0.50"', '"-1.00"'), "count");
  expectError(trade('"0.50"', '"0.00"'), "count", { includes: ["not positive"] });
  expectError(trade('"0.50"', '"1.001"'), "count");
  expectError(trade('"0.50"', '"ten"'), "count", { includes: ["ten"] });
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.30","0"]],"no":[]}`,
    "yes",
    { includes: ["size not positive"] },
  );
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":8,"side":"yes","price":"0.30","delta":"0.00"}`,
    "delta",
    { includes: ["zero"] },
  );
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":8,"side":"yes","price":"0.30","delta":"--1"}`,
    "delta",
  );
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.40","yes_ask":"0.50","yes_ask_size":"-3"}`,
    "yes_ask_size",
  );
});

Deno.test("crossed quote names yes_bid; locked quote is accepted", () => {
  expectError(
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.60","yes_ask":"0.50"}`,
    "yes_bid",
    { includes: ["crossed"] },
  );
  const ok = [
    ...HEADER,
    `{"ts":3000,"type":"quote","market":"${M}","yes_bid":"0.50","yes_ask":"0.50"}`,
  ];
  assert.equal([...parseNdjsonText(ok.join("\n"), FILE)].length, 5);
});

Deno.test("crossed book snapshot (best yes bid + best no bid above $1)", () => {
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.55","1"]],"no":[["0.46","1"]]}`,
    "no",
    { includes: ["crossed"] },
  );
});

Deno.test("duplicate price level in a snapshot", () => {
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.30","1"],["0.20","1"],["0.3000","2"]],"no":[]}`,
    "yes",
    { includes: ["duplicate"] },
  );
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.30"]],"no":[]}`,
    "yes",
  );
  expectError(
    `{"ts":3000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[],"no":{}}`,
    "no",
  );
});

Deno.test("side, taker_side, strike_type, status, result, fee_type outside their sets", () => {
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":8,"side":"buy","price":"0.30","delta":"1"}`,
    "side",
    { includes: ["buy"] },
  );
  expectError(
    trade('"0.50"', '"1"').replace('"taker_side":"yes"', '"taker_side":"YES"'),
    "taker_side",
  );
  expectError(
    '{"ts":3000,"type":"market","market":"M2","event":"KXHIGHNY-26JAN05","strike_type":"functional","open_ts":0,"close_ts":1}',
    "strike_type",
    { includes: ["functional"] },
  );
  expectError(`{"ts":3000,"type":"lifecycle","market":"${M}","status":"paused"}`, "status");
  expectError(`{"ts":3000,"type":"settlement","market":"${M}","result":"void"}`, "result");
  expectError(
    '{"ts":3000,"type":"series","series":"S","fee_type":"cubic","fee_multiplier":1}',
    "fee_type",
  );
});

Deno.test("references: unknown market, event or series", () => {
  const scoped = [
    '{"ts":3000,"type":"book_snapshot","market":"NOPE","seq":1,"yes":[],"no":[]}',
    '{"ts":3000,"type":"book_delta","market":"NOPE","seq":1,"side":"yes","price":"0.3","delta":"1"}',
    '{"ts":3000,"type":"quote","market":"NOPE","yes_bid":"0.3","yes_ask":"0.4"}',
    '{"ts":3000,"type":"trade","market":"NOPE","price":"0.3","count":"1","taker_side":"no"}',
    '{"ts":3000,"type":"lifecycle","market":"NOPE","status":"closed"}',
    '{"ts":3000,"type":"settlement","market":"NOPE","result":"no"}',
  ];
  for (const l of scoped) expectError(l, "market", { includes: ["unknown market", "NOPE"] });
  expectError(
    '{"ts":3000,"type":"market","market":"M2","event":"NOPE","strike_type":"less","cap_strike":1,"open_ts":0,"close_ts":1}',
    "event",
    { includes: ["unknown event"] },
  );
  expectError(
    '{"ts":3000,"type":"event","event":"E2","series":"NOPE","mutually_exclusive":false}',
    "series",
    { includes: ["unknown series"] },
  );
});

Deno.test("market declarations: duplicates, strikes, times, price_step", () => {
  // The same content again is fine; different content is an error.
  const same = [...HEADER, HEADER[2].replace('"ts":1000', '"ts":2000')];
  assert.equal([...parseNdjsonText(same.join("\n"), FILE)].length, 5);
  expectError(
    HEADER[2].replace('"ts":1000', '"ts":2000').replace('"cap_strike":41', '"cap_strike":42'),
    "market",
    {
      includes: ["already declared"],
    },
  );
  const mk = (fields: string) =>
    `{"ts":3000,"type":"market","market":"M2","event":"KXHIGHNY-26JAN05",${fields}}`;
  expectError(mk('"strike_type":"greater","open_ts":0,"close_ts":1'), "floor_strike");
  expectError(mk('"strike_type":"less_or_equal","open_ts":0,"close_ts":1'), "cap_strike");
  expectError(
    mk('"strike_type":"between","floor_strike":5,"cap_strike":4,"open_ts":0,"close_ts":1'),
    "cap_strike",
  );
  expectError(mk('"strike_type":"less","cap_strike":4,"open_ts":5,"close_ts":1'), "close_ts");
  expectError(
    mk('"strike_type":"less","cap_strike":4,"open_ts":0,"close_ts":1,"price_step":"0"'),
    "price_step",
  );
  expectError(
    mk('"strike_type":"less","cap_strike":4,"open_ts":0,"close_ts":1,"price_step":0.01'),
    "price_step",
  );
  expectError(
    mk('"strike_type":"less","cap_strike":4,"floor_inclusive":1,"open_ts":0,"close_ts":1'),
    "floor_inclusive",
  );
});

Deno.test("fee_multiplier with more than 4 decimals or negative", () => {
  expectError(
    '{"ts":3000,"type":"series","series":"S","fee_type":"quadratic","fee_multiplier":0.12345}',
    "fee_multiplier",
    { includes: ["4 decimals", "0.12345"] },
  );
  expectError(
    '{"ts":3000,"type":"series","series":"S","fee_type":"quadratic","fee_multiplier":-1}',
    "fee_multiplier",
  );
});

Deno.test("seq gap and delta before any snapshot", () => {
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":10,"side":"yes","price":"0.30","delta":"1"}`,
    "seq",
    { line: NEXT, includes: ["seq gap", "expected 8, current value is 10"] },
  );
  expectError(
    [
      `{"ts":3000,"type":"book_delta","market":"${M}","seq":8,"side":"yes","price":"0.30","delta":"1"}`,
      `{"ts":3001,"type":"book_delta","market":"${M}","seq":8,"side":"yes","price":"0.30","delta":"1"}`,
    ],
    "seq",
    { line: NEXT + 1, includes: ["expected 9, current value is 8"] },
  );
  expectError(
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":1,"side":"yes","price":"0.30","delta":"1"}`,
    "seq",
    { header: HEADER.slice(0, 3), includes: ["no book_snapshot"] },
  );
});

Deno.test("readNdjsonFile errors carry the path as file name by default", async () => {
  const path = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    await Deno.writeTextFile(path, [...HEADER, trade('"NaN"')].join("\n"));
    await assert.rejects(
      async () => {
        for await (const _ of readNdjsonFile(path)) { /* drain */ }
      },
      (e: unknown) =>
        e instanceof TapeError && e.file === path && e.line === NEXT && e.field === "price" &&
        e.message.startsWith(`${path}:${NEXT}: field "price"`),
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("lenient mode: anomalies counted and reported, good lines returned", () => {
  const lines = [
    ...HEADER, // 1-4
    trade('"0.50"'), // 5 good
    "{not json", // 6 bad
    trade('"NaN"'), // 7 bad
    '{"ts":10,"type":"underlying","symbol":"X","value":1}', // 8 bad: backwards
    `{"ts":3001,"type":"book_delta","market":"${M}","seq":10,"side":"yes","price":"0.30","delta":"1"}`, // 9 gap: kept
    `{"ts":3002,"type":"book_delta","market":"${M}","seq":11,"side":"yes","price":"0.30","delta":"1"}`, // 10 good
    '{"ts":3003,"type":"trade","market":"NOPE","price":"0.3","count":"1","taker_side":"no"}', // 11 bad
    "", // 12 blank
    '{"ts":3004,"type":"underlying","symbol":"X","value":2,"extra":1}', // 13 bad
    '{"ts":3005,"type":"underlying","symbol":"X","value":3}', // 14 good
  ];
  const p = new NdjsonTapeParser(FILE, { strict: false });
  const evs = [...parseNdjsonText(lines.join("\n"), FILE, { strict: false }, p)];
  assert.deepEqual(
    evs.map((e) => e.ts),
    [1000, 1000, 1000, 2000, 3000, 3001, 3002, 3005],
  );
  assert.equal(p.anomalyCount, 6);
  assert.deepEqual(
    p.anomalies.map((a) => [a.file, a.line, a.field]),
    [
      [FILE, 6, "(line)"],
      [FILE, 7, "price"],
      [FILE, 8, "ts"],
      [FILE, 9, "seq"],
      [FILE, 11, "market"],
      [FILE, 13, "extra"],
    ],
  );
  assert.equal(p.linesRead, 14);
  assert.equal(p.eventsRead, 8);
});
