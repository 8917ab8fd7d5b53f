import assert from "node:assert/strict";
import { TapeValidator } from "../../lib/tape/validator.ts";
import { L2Book } from "../../lib/engine/book.ts";
import { workloadEvents } from "./workload.ts";
import { l2WorkloadEvents } from "./l2_workload.ts";

Deno.test("the L2 workload is a valid tape whose books match every quote of the workload", () => {
  const opts = { seed: 3, events: 20_000 };
  const quotes = new Map<number, { market: string; bid: number; ask: number }[]>();
  for (const ev of workloadEvents(opts)) {
    if (ev.kind !== "quote") continue;
    const list = quotes.get(ev.ts) ?? [];
    list.push({ market: ev.market, bid: ev.yesBid, ask: ev.yesAsk });
    quotes.set(ev.ts, list);
  }
  const v = new TapeValidator("l2", { strict: true });
  const books = new Map<string, L2Book>();
  let line = 0;
  let lastTs = -1;
  const check = (ts: number) => {
    for (const q of quotes.get(ts) ?? []) {
      const b = books.get(q.market)!;
      assert.deepEqual([b.bestYesBid, b.bestYesAsk], [q.bid, q.ask], `${q.market} at ${ts}`);
    }
  };
  let deltas = 0;
  for (const ev of l2WorkloadEvents(opts)) {
    v.check(ev, ++line);
    if (ev.ts !== lastTs) {
      if (lastTs >= 0) check(lastTs);
      lastTs = ev.ts;
    }
    if (ev.kind === "market") books.set(ev.market, new L2Book(ev.market));
    if (ev.kind === "book_snapshot") assert.equal(books.get(ev.market)!.applySnapshot(ev), "ok");
    if (ev.kind === "book_delta") {
      deltas++;
      assert.equal(books.get(ev.market)!.applyDelta(ev), "ok");
    }
  }
  check(lastTs);
  assert.ok(deltas > 0);
});
