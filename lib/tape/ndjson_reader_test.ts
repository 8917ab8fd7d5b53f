import assert from "node:assert/strict";
import { NdjsonTapeParser, parseNdjsonText, readNdjsonFile } from "./ndjson_reader.ts";
import { formatEventLine } from "./ndjson_writer.ts";
import type { TapeEvent } from "./events.ts";

const HEADER = [
  '{"ts":1000,"type":"series","series":"KXINX","fee_type":"quadratic","fee_multiplier":0.5}',
  '{"ts":1000,"type":"event","event":"KXINX-25NOV03H1600","series":"KXINX","mutually_exclusive":true,"outcome_step":0.01}',
  '{"ts":1000,"type":"market","market":"KXINX-25NOV03H1600-B6862","event":"KXINX-25NOV03H1600","strike_type":"between","floor_strike":6850,"cap_strike":6874.99,"floor_inclusive":true,"cap_inclusive":true,"open_ts":1000,"close_ts":90000,"price_step":"0.0010"}',
];
const M = "KXINX-25NOV03H1600-B6862";

function parseAll(lines: string[], name = "t.ndjson"): TapeEvent[] {
  return [...parseNdjsonText(lines.join("\n"), name)];
}

Deno.test("parseNdjsonText reads every kind into in-memory units", () => {
  const evs = parseAll([
    ...HEADER,
    `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":7,"yes":[["0.5500","10.00"],["0.5600","3.50"]],"no":[["0.4000","1"]]}`,
    `{"ts":2001,"type":"book_delta","market":"${M}","seq":8,"side":"no","price":"0.4050","delta":"-2.25"}`,
    `{"ts":2002,"type":"quote","market":"${M}","yes_bid":"0.55","yes_ask":"0.5950","yes_bid_size":"10.00"}`,
    `{"ts":2003,"type":"trade","market":"${M}","price":"0.5600","count":"2.00","taker_side":"yes"}`,
    '{"ts":2004,"type":"underlying","symbol":"SPX","value":6861.25}',
    `{"ts":2005,"type":"lifecycle","market":"${M}","status":"determined"}`,
    `{"ts":2006,"type":"settlement","market":"${M}","result":"yes","expiration_value":6861.7}`,
  ]);
  assert.deepEqual(evs, [
    { kind: "series", ts: 1000, series: "KXINX", feeType: "quadratic", feeMultiplier: 5000 },
    {
      kind: "event",
      ts: 1000,
      event: "KXINX-25NOV03H1600",
      series: "KXINX",
      mutuallyExclusive: true,
      outcomeStep: 0.01,
    },
    {
      kind: "market",
      ts: 1000,
      market: M,
      event: "KXINX-25NOV03H1600",
      strikeType: "between",
      floorStrike: 6850,
      capStrike: 6874.99,
      floorInclusive: true,
      capInclusive: true,
      openTs: 1000,
      closeTs: 90000,
      priceStep: 10,
    },
    {
      kind: "book_snapshot",
      ts: 2000,
      market: M,
      seq: 7,
      yesPrices: [5600, 5500],
      yesSizes: [350, 1000],
      noPrices: [4000],
      noSizes: [100],
    },
    { kind: "book_delta", ts: 2001, market: M, seq: 8, side: "no", price: 4050, delta: -225 },
    {
      kind: "quote",
      ts: 2002,
      market: M,
      yesBid: 5500,
      yesAsk: 5950,
      yesBidSize: 1000,
      yesAskSize: 0,
    },
    { kind: "trade", ts: 2003, market: M, price: 5600, count: 200, takerSide: "yes" },
    { kind: "underlying", ts: 2004, symbol: "SPX", value: 6861.25 },
    { kind: "lifecycle", ts: 2005, market: M, status: "determined" },
    { kind: "settlement", ts: 2006, market: M, result: "yes", expirationValue: 6861.7 },
  ]);
});

Deno.test("market price_step defaults to one cent and optional fields stay absent", () => {
  const evs = parseAll([
    HEADER[0],
    '{"ts":1000,"type":"event","event":"E","series":"KXINX","mutually_exclusive":false}',
    '{"ts":1000,"type":"market","market":"E-T1","event":"E","strike_type":"greater","floor_strike":1,"open_ts":0,"close_ts":5}',
    '{"ts":1001,"type":"settlement","market":"E-T1","result":"no"}',
  ]);
  assert.equal(evs[2].kind === "market" && evs[2].priceStep, 100);
  assert.ok(!("outcomeStep" in evs[1]));
  assert.ok(!("capStrike" in evs[2]) && !("floorInclusive" in evs[2]));
  assert.ok(!("expirationValue" in evs[3]));
});

Deno.test("fee_multiplier becomes parts per 10,000", () => {
  const p = new NdjsonTapeParser("f");
  const one = p.parseLine(
    '{"ts":1,"type":"series","series":"A","fee_type":"flat","fee_multiplier":1}',
    1,
  );
  const odd = p.parseLine(
    '{"ts":1,"type":"series","series":"B","fee_type":"quadratic_with_maker_fees","fee_multiplier":0.3333}',
    2,
  );
  assert.equal(one?.kind === "series" && one.feeMultiplier, 10000);
  assert.equal(odd?.kind === "series" && odd.feeMultiplier, 3333);
});

Deno.test("a later series line is accepted as a fee change", () => {
  const evs = parseAll([
    HEADER[0],
    '{"ts":5000,"type":"series","series":"KXINX","fee_type":"quadratic","fee_multiplier":1}',
  ]);
  assert.equal(evs.length, 2);
});

Deno.test("blank lines, CRLF, BOM and a final line without newline", () => {
  const text = "\ufeff" + HEADER.join("\r\n") + "\r\n\r\n   \n" +
    '{"ts":2000,"type":"underlying","symbol":"X","value":1}';
  const p = new NdjsonTapeParser("crlf.ndjson");
  const evs = [...parseNdjsonText(text, "crlf.ndjson", {}, p)];
  assert.equal(evs.length, 4);
  assert.equal(p.linesRead, 6);
  assert.equal(p.eventsRead, 4);
  assert.equal(evs[3].kind, "underlying");
});

Deno.test("line numbers count blank lines (1-based)", () => {
  assert.throws(
    () => [...parseNdjsonText(HEADER.join("\n") + "\n\n{bad", "n.ndjson")],
    (e: Error & { line?: number }) => e.line === 5,
  );
});

Deno.test("readNdjsonFile streams a large file identically to parseNdjsonText", async () => {
  const lines = [...HEADER];
  lines.push(
    `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.5000","1.00"]],"no":[]}`,
  );
  let seq = 1;
  for (let i = 0; i < 20000; i++) {
    seq++;
    const price = (1000 + (i % 50) * 10).toString().padStart(4, "0");
    lines.push(
      `{"ts":${
        3000 + i
      },"type":"book_delta","market":"${M}","seq":${seq},"side":"yes","price":"0.${price}","delta":"1.00"}`,
    );
    if (i % 1000 === 0) {
      lines.push(`{"ts":${3000 + i},"type":"underlying","symbol":"Ωmega–€","value":${i}}`);
    }
  }
  const text = lines.join("\r\n"); // no final newline
  const path = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    await Deno.writeTextFile(path, text);
    const p = new NdjsonTapeParser(path);
    const fromFile: TapeEvent[] = [];
    for await (const ev of readNdjsonFile(path, {}, p)) fromFile.push(ev);
    const fromText = [...parseNdjsonText(text, "x")];
    assert.equal(fromFile.length, lines.length);
    assert.deepEqual(fromFile, fromText);
    assert.equal(p.linesRead, lines.length);
    const named = readNdjsonFile(path, { name: "shown.ndjson" });
    const first = await named.next();
    assert.equal(first.done, false);
    await named.return(undefined);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readNdjsonFile reports the file name and line of an error", async () => {
  const path = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    await Deno.writeTextFile(path, HEADER.join("\n") + '\n{"ts":1001,"type":"nope"}\n');
    await assert.rejects(
      async () => {
        for await (const _ of readNdjsonFile(path, { name: "rec.ndjson" })) { /* drain */ }
      },
      (e: Error & { file?: string; line?: number; field?: string }) =>
        e.file === "rec.ndjson" && e.line === 4 && e.field === "type",
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("book levels already sorted best first keep their order", () => {
  const evs = parseAll([
    ...HEADER,
    `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.30","1"],["0.20","2"],["0.10","3"]],"no":[]}`,
  ]);
  const s = evs[3];
  assert.ok(s.kind === "book_snapshot");
  assert.deepEqual(s.yesPrices, [3000, 2000, 1000]);
  assert.deepEqual(s.yesSizes, [100, 200, 300]);
  assert.deepEqual(s.noPrices, []);
});

Deno.test("a snapshot resets seq (resubscription)", () => {
  const evs = parseAll([
    ...HEADER,
    `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":50,"yes":[],"no":[]}`,
    `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[],"no":[]}`,
    `{"ts":2001,"type":"book_delta","market":"${M}","seq":2,"side":"yes","price":"0.10","delta":"1"}`,
  ]);
  assert.equal(evs.length, 6);
});

Deno.test("lenient seq gap: recorded, yielded, and the stream resyncs to the new seq", () => {
  const p = new NdjsonTapeParser("gap.ndjson", { strict: false });
  const evs = [
    ...parseNdjsonText(
      [
        ...HEADER,
        `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":7,"yes":[],"no":[]}`,
        `{"ts":2001,"type":"book_delta","market":"${M}","seq":10,"side":"yes","price":"0.10","delta":"1"}`,
        `{"ts":2002,"type":"book_delta","market":"${M}","seq":11,"side":"yes","price":"0.10","delta":"1"}`,
      ].join("\n"),
      "gap.ndjson",
      {},
      p,
    ),
  ];
  assert.equal(evs.length, 6);
  assert.equal(p.anomalyCount, 1);
  assert.deepEqual(p.anomalies[0], {
    file: "gap.ndjson",
    line: 5,
    field: "seq",
    detail: `Cannot apply delta: seq gap for market ${M}: expected 8, current value is 10`,
  });
});

Deno.test("lenient mode keeps the first 1000 anomalies and counts all", () => {
  const p = new NdjsonTapeParser("many", { strict: false });
  for (let i = 1; i <= 1500; i++) assert.equal(p.parseLine("{oops", i), null);
  assert.equal(p.anomalyCount, 1500);
  assert.equal(p.anomalies.length, 1000);
  assert.equal(p.eventsRead, 0);
  assert.equal(p.linesRead, 1500);
});

Deno.test("a quote may miss one side (YES bid 0 or YES ask 1), not both, and round-trips", () => {
  const head = [
    '{"ts":1,"type":"series","series":"S","fee_type":"quadratic","fee_multiplier":1}',
    '{"ts":1,"type":"event","event":"S-1","series":"S","mutually_exclusive":true}',
    '{"ts":1,"type":"market","market":"S-1-A","event":"S-1","strike_type":"greater","floor_strike":1,"open_ts":1,"close_ts":9}',
  ];
  const evs = parseAll([
    ...head,
    '{"ts":2,"type":"quote","market":"S-1-A","yes_bid":"0.0000","yes_ask":"0.0300"}',
    '{"ts":3,"type":"quote","market":"S-1-A","yes_bid":"0.9900","yes_ask":"1.0000"}',
  ]);
  const q = evs.filter((e) => e.kind === "quote");
  assert.deepEqual(q.map((e) => e.kind === "quote" && [e.yesBid, e.yesAsk]), [[0, 300], [
    9900,
    10000,
  ]]);
  for (const e of q) assert.deepEqual(parseAll([...head, formatEventLine(e)]).at(-1), e);
  assert.throws(
    () =>
      parseAll([
        ...head,
        '{"ts":2,"type":"quote","market":"S-1-A","yes_bid":"0.0000","yes_ask":"1.0000"}',
      ]),
    /t.ndjson:4: field "yes_bid": Cannot accept quote: both sides missing/,
  );
  assert.throws(
    () =>
      parseAll([
        ...head,
        '{"ts":2,"type":"quote","market":"S-1-A","yes_bid":"0.0000","yes_ask":"0.0000"}',
      ]),
    /t.ndjson:4: field "yes_ask"/,
  );
});
