/**
 * KX-REPLAY-L2: the KX-REPLAY workload with full L2 books instead of top-of-book
 * quotes, for measuring the replay with the L2 book and maker fills (issue 6).
 *
 * Each market's first quote becomes a `book_snapshot` (its YES bid level and its
 * NO bid level, 10000 - the YES ask); every later quote becomes the `book_delta`
 * events that move the book from the previous quote to it: a size change at an
 * unchanged price is one delta; a moved price removes the old level and adds the
 * new one. Removals come before additions, so the book is never crossed in
 * between. Deltas carry a per-market `seq` after the snapshot's. Every other
 * event passes through unchanged. The tape has more events than the workload it
 * comes from (a quote becomes up to four deltas).
 *
 * @module
 */

import type { TapeEvent } from "../../lib/tape/events.ts";
import { workloadEvents, type WorkloadOptions } from "./workload.ts";

interface Level {
  price: number;
  size: number;
}

interface BookState {
  seq: number;
  yes: Level;
  no: Level;
}

/** The L2 form of the KX-REPLAY workload (see the module documentation). */
export function* l2WorkloadEvents(options: WorkloadOptions): Generator<TapeEvent> {
  const books = new Map<string, BookState>();
  for (const ev of workloadEvents(options)) {
    if (ev.kind !== "quote") {
      yield ev;
      continue;
    }
    const noPrice = 10_000 - ev.yesAsk;
    const st = books.get(ev.market);
    if (st === undefined) {
      books.set(ev.market, {
        seq: 1,
        yes: { price: ev.yesBid, size: ev.yesBidSize },
        no: { price: noPrice, size: ev.yesAskSize },
      });
      yield {
        kind: "book_snapshot",
        ts: ev.ts,
        market: ev.market,
        seq: 1,
        yesPrices: [ev.yesBid],
        yesSizes: [ev.yesBidSize],
        noPrices: [noPrice],
        noSizes: [ev.yesAskSize],
      };
      continue;
    }
    const delta = (side: "yes" | "no", price: number, d: number): TapeEvent => ({
      kind: "book_delta",
      ts: ev.ts,
      market: ev.market,
      seq: ++st.seq,
      side,
      price,
      delta: d,
    });
    const next = {
      yes: { price: ev.yesBid, size: ev.yesBidSize },
      no: { price: noPrice, size: ev.yesAskSize },
    };
    // Removals first (never crossed in between), then additions and size changes.
    for (const side of ["yes", "no"] as const) {
      const cur = st[side];
      if (cur.price !== next[side].price) yield delta(side, cur.price, -cur.size);
    }
    for (const side of ["yes", "no"] as const) {
      const cur = st[side];
      const nx = next[side];
      if (cur.price !== nx.price) yield delta(side, nx.price, nx.size);
      else if (cur.size !== nx.size) yield delta(side, nx.price, nx.size - cur.size);
      st[side] = nx;
    }
  }
}
