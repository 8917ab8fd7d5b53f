import assert from "node:assert/strict";
import { formatEventLine, writeNdjsonFile } from "./ndjson_writer.ts";
import { NdjsonTapeParser, parseNdjsonText, readNdjsonFile } from "./ndjson_reader.ts";
import type { TapeEvent } from "./events.ts";

/** One valid tape holding every kind, optional fields both present and absent. */
const EVENTS: TapeEvent[] = [
  {
    kind: "series",
    ts: 0,
    series: "KXBTCD",
    feeType: "quadratic_with_maker_fees",
    feeMultiplier: 10000,
  },
  { kind: "series", ts: 0, series: "KXINX", feeType: "quadratic", feeMultiplier: 5000 },
  { kind: "event", ts: 0, event: "KXBTCD-26FEB0620", series: "KXBTCD", mutuallyExclusive: false },
  {
    kind: "event",
    ts: 0,
    event: "KXINX-25NOV03H1600",
    series: "KXINX",
    mutuallyExclusive: true,
    outcomeStep: 0.01,
  },
  {
    kind: "market",
    ts: 0,
    market: "KXBTCD-26FEB0620-T72999.99",
    event: "KXBTCD-26FEB0620",
    strikeType: "greater",
    floorStrike: 72999.99,
    openTs: 1_770_000_000_000,
    closeTs: 1_770_400_000_000,
    priceStep: 100,
  },
  {
    kind: "market",
    ts: 0,
    market: "KXINX-25NOV03H1600-B6862",
    event: "KXINX-25NOV03H1600",
    strikeType: "between",
    floorStrike: 6850,
    capStrike: 6874.9999,
    floorInclusive: true,
    capInclusive: false,
    openTs: 0,
    closeTs: 100_000,
    priceStep: 10,
  },
  {
    kind: "book_snapshot",
    ts: 10,
    market: "KXINX-25NOV03H1600-B6862",
    seq: 3,
    yesPrices: [5610, 5500, 1],
    yesSizes: [1, 250, 100000],
    noPrices: [4000],
    noSizes: [75],
  },
  {
    kind: "book_snapshot",
    ts: 10,
    market: "KXBTCD-26FEB0620-T72999.99",
    seq: 1,
    yesPrices: [],
    yesSizes: [],
    noPrices: [],
    noSizes: [],
  },
  {
    kind: "book_delta",
    ts: 11,
    market: "KXINX-25NOV03H1600-B6862",
    seq: 4,
    side: "yes",
    price: 5610,
    delta: -1,
  },
  {
    kind: "book_delta",
    ts: 11,
    market: "KXINX-25NOV03H1600-B6862",
    seq: 5,
    side: "no",
    price: 9999,
    delta: 123456,
  },
  {
    kind: "quote",
    ts: 12,
    market: "KXBTCD-26FEB0620-T72999.99",
    yesBid: 4400,
    yesAsk: 4600,
    yesBidSize: 0,
    yesAskSize: 0,
  },
  {
    kind: "quote",
    ts: 12,
    market: "KXBTCD-26FEB0620-T72999.99",
    yesBid: 4500,
    yesAsk: 4500,
    yesBidSize: 1,
    yesAskSize: 5000,
  },
  {
    kind: "trade",
    ts: 13,
    market: "KXINX-25NOV03H1600-B6862",
    price: 5555,
    count: 33,
    takerSide: "no",
  },
  { kind: "underlying", ts: 14, symbol: 'BRTI "quoted" \\ ü', value: -0.000123 },
  { kind: "underlying", ts: 14, symbol: "SPX", value: 6861 },
  { kind: "lifecycle", ts: 15, market: "KXINX-25NOV03H1600-B6862", status: "closed" },
  { kind: "settlement", ts: 16, market: "KXINX-25NOV03H1600-B6862", result: "no" },
  {
    kind: "settlement",
    ts: 16,
    market: "KXBTCD-26FEB0620-T72999.99",
    result: "yes",
    expirationValue: 73012.34,
  },
];

Deno.test("round trip: parse(format(ev)) deep-equals ev for every kind", () => {
  const text = EVENTS.map(formatEventLine).join("\n");
  const back = [...parseNdjsonText(text, "rt.ndjson")];
  assert.deepEqual(back, EVENTS);
  const kinds = new Set(EVENTS.map((e) => e.kind));
  assert.equal(kinds.size, 10);
});

Deno.test("formatEventLine: fixed key order, dollar and count strings, no optionals", () => {
  assert.equal(
    formatEventLine(EVENTS[8]),
    '{"ts":11,"type":"book_delta","market":"KXINX-25NOV03H1600-B6862","seq":4,"side":"yes","price":"0.5610","delta":"-0.01"}',
  );
  assert.equal(
    formatEventLine(EVENTS[4]),
    '{"ts":0,"type":"market","market":"KXBTCD-26FEB0620-T72999.99","event":"KXBTCD-26FEB0620","strike_type":"greater","floor_strike":72999.99,"open_ts":1770000000000,"close_ts":1770400000000,"price_step":"0.0100"}',
  );
  assert.equal(
    formatEventLine(EVENTS[6]),
    '{"ts":10,"type":"book_snapshot","market":"KXINX-25NOV03H1600-B6862","seq":3,"yes":[["0.5610","0.01"],["0.5500","2.50"],["0.0001","1000.00"]],"no":[["0.4000","0.75"]]}',
  );
  assert.equal(
    formatEventLine(EVENTS[1]),
    '{"ts":0,"type":"series","series":"KXINX","fee_type":"quadratic","fee_multiplier":0.5}',
  );
  assert.equal(
    formatEventLine(EVENTS[10]),
    '{"ts":12,"type":"quote","market":"KXBTCD-26FEB0620-T72999.99","yes_bid":"0.4400","yes_ask":"0.4600"}',
  );
  assert.equal(
    formatEventLine(EVENTS[17]),
    '{"ts":16,"type":"settlement","market":"KXBTCD-26FEB0620-T72999.99","result":"yes","expiration_value":73012.34}',
  );
  for (const ev of EVENTS) assert.ok(!formatEventLine(ev).includes("\n"));
});

Deno.test("formatEventLine refuses NaN values", () => {
  assert.throws(
    () => formatEventLine({ kind: "underlying", ts: 1, symbol: "X", value: NaN }),
    RangeError,
  );
  assert.throws(
    () =>
      formatEventLine({
        kind: "trade",
        ts: 1,
        market: "M",
        price: 10001,
        count: 1,
        takerSide: "yes",
      }),
    RangeError,
  );
});

/** An async source of the events, to exercise the AsyncIterable path. */
async function* gen(): AsyncGenerator<TapeEvent> {
  for (const ev of EVENTS) {
    await Promise.resolve();
    yield ev;
  }
}

Deno.test("writeNdjsonFile then readNdjsonFile round-trips (sync and async sources)", async () => {
  const path = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    // Enough lines to cross the write buffer several times.
    const many: TapeEvent[] = [...EVENTS];
    for (let i = 0; i < 5000; i++) {
      many.push({ kind: "underlying", ts: 100 + i, symbol: "SPX", value: 6800 + i / 4 });
    }
    assert.equal(await writeNdjsonFile(path, many), many.length);
    const p = new NdjsonTapeParser(path);
    const back: TapeEvent[] = [];
    for await (const ev of readNdjsonFile(path, {}, p)) back.push(ev);
    assert.deepEqual(back, many);
    assert.equal(p.linesRead, many.length);

    assert.equal(await writeNdjsonFile(path, gen()), EVENTS.length);
    const text = await Deno.readTextFile(path);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual([...parseNdjsonText(text, path)], EVENTS);
  } finally {
    await Deno.remove(path);
  }
});
