#!/usr/bin/python3
"""KX-REPLAY pandas peer: the benchmark workload's strategy, written the way a
competent pandas user would, vectorized (bench/KX_REPLAY.md is the contract).

    /usr/bin/python3 bench/kx_replay/pandas_peer.py TAPE.ndjson [--chunksize N] [--no-fills]

Prints ONE JSON object on stdout: the fills ([ts, market, side, price, count, fee],
in tape order; prices and fees in ticks of $0.0001, counts in centi-contracts), their
count and SHA-256 digest (one "ts,market,side,price,count,fee\\n" line per fill),
line counts by type, total fees, PnL per market and in total (ticks), timings and
peak RSS.

Design:
  * read: pd.read_json(lines=True, chunksize=...) with precise_float=True (the
    default fast float parser is not correctly rounded, and underlying values must
    be the exact doubles the tape holds). Each chunk is split by `type` at once and
    only compact numeric columns are kept: quotes as int16/int32 (market as an
    int16 category code), underlying ticks as (int64 ts, int8 event, float64).
  * fair ticks: one scipy.stats.norm.cdf call over every underlying tick x every
    boundary of its event (ladders padded to 7 boundaries with +inf), masses by
    np.diff with 0 and 1 at the ends, the total by a left-to-right cumulative sum
    (as lib/pricing/pmf.ts pmfFromCdf does; ndarray.sum would use pairwise
    summation), p = mass / total, fair = floor(p * 10000 + 0.5).
  * merge_asof(quotes, fair ticks, on ts, by market): each quote gets the fair
    ticks of the last underlying tick of its event.
  * EVs and fees in int64 (the exact integer fee formula of lib/fees/fees.ts),
    the gross cap by a per-market cumulative sum clipped at CAP, then notional,
    fees and settlement payouts grouped by market.
"""

import argparse
import hashlib
import itertools
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import norm

EDGE = 300  # ticks
CAP = 50_000  # centi-contracts
ONE_DOLLAR = 10_000  # ticks
TAKER_RATE = 700  # parts per 10,000
FEE_DENOMINATOR = 10**14
PAYOUT_PER_CENTI = 100  # ticks per centi-contract


def price_ticks(s: pd.Series) -> pd.Series:
    """Kalshi dollar strings ("0.5600") to int ticks."""
    return (pd.to_numeric(s) * ONE_DOLLAR).round().astype("int16")


def count_centi(s: pd.Series) -> pd.Series:
    """Contract strings ("12.00") to int centi-contracts."""
    return (pd.to_numeric(s) * 100).round().astype("int32")


def order_fee_ticks(price, count, multiplier: int):
    """orderFeeTicks(taker): ceil(M r C P (1-P) / 1e14) ticks, rounded up to the cent."""
    price = np.asarray(price, dtype=np.int64)
    count = np.asarray(count, dtype=np.int64)
    num = multiplier * TAKER_RATE * count * price * (ONE_DOLLAR - price)
    ticks = -(-num // FEE_DENOMINATOR)
    return -(-ticks // 100) * 100


def chunks(path: str, chunksize: int, reader: str):
    """DataFrames of up to `chunksize` tape lines each.

    "json" (default): the standard library's json.loads per line and
    DataFrame.from_records per chunk; measured faster than read_json here, and its
    floats are correctly rounded. "read_json": pd.read_json(lines=True,
    chunksize=...) with precise_float=True (its default float parser is not
    correctly rounded).
    """
    if reader == "read_json":
        with pd.read_json(
            path, lines=True, chunksize=chunksize, dtype=False, convert_dates=False, precise_float=True
        ) as r:
            yield from r
        return
    loads = json.loads
    with open(path, encoding="utf-8") as f:
        while lines := list(itertools.islice(f, chunksize)):
            yield pd.DataFrame.from_records([loads(line) for line in lines if not line.isspace()])


def read_tape(path: str, chunksize: int, reader: str = "json"):
    """One pass over the NDJSON: metadata rows, compact quote and underlying frames."""
    meta = {"series": [], "event": [], "market": [], "settlement": []}
    quotes, ticks = [], []
    counts: dict = {}
    markets = None  # pd.Index of tickers, fixed at the first quote or underlying line
    symbols = None
    last_ts = -1
    for ch in chunks(path, chunksize, reader):
        if ch["ts"].iloc[0] < last_ts or not ch["ts"].is_monotonic_increasing:
            raise ValueError("tape timestamps decrease")
        last_ts = ch["ts"].iloc[-1]
        by_type = dict(tuple(ch.groupby("type", sort=False)))
        for t, g in by_type.items():
            counts[t] = counts.get(t, 0) + len(g)
        for t in meta:
            if t in by_type:
                meta[t].append(by_type[t].dropna(axis=1, how="all"))
        if markets is None and ("quote" in by_type or "underlying" in by_type):
            mk = pd.concat(meta["market"])
            markets = pd.Index(mk["market"])
            ev = pd.concat(meta["event"])["event"]
            # Event ticker ...-E07 has underlying symbol U07 (the strategy's convention).
            symbols = pd.Index("U" + ev.str.extract(r"-E(\d+)$", expand=False))
        if "quote" in by_type:
            q = by_type["quote"]
            code = pd.Categorical(q["market"], categories=markets).codes
            if (code < 0).any():
                raise ValueError("quote on an undeclared market")
            quotes.append(
                pd.DataFrame(
                    {
                        "ts": q["ts"].to_numpy(),
                        "mkt": code.astype("int16"),
                        "bid": price_ticks(q["yes_bid"]).to_numpy(),
                        "ask": price_ticks(q["yes_ask"]).to_numpy(),
                        "bid_size": count_centi(q["yes_bid_size"].fillna("0")).to_numpy(),
                        "ask_size": count_centi(q["yes_ask_size"].fillna("0")).to_numpy(),
                    }
                )
            )
        if "underlying" in by_type:
            u = by_type["underlying"]
            u = u[u["symbol"].isin(symbols)]  # ticks of other symbols are ignored
            ticks.append(
                pd.DataFrame(
                    {
                        "ts": u["ts"].to_numpy(),
                        "event": symbols.get_indexer(u["symbol"]).astype("int8"),
                        "value": u["value"].to_numpy(dtype="float64"),
                    }
                )
            )
    meta = {t: pd.concat(v, ignore_index=True) if v else pd.DataFrame() for t, v in meta.items()}
    quotes = pd.concat(quotes, ignore_index=True) if quotes else None
    ticks = pd.concat(ticks, ignore_index=True) if ticks else None
    return meta, markets, quotes, ticks, counts


def ladders(meta, markets: pd.Index):
    """Per event: boundaries (padded with +inf) and the market code of each ladder slot."""
    mk = meta["market"].copy()
    mk["code"] = markets.get_indexer(mk["market"])
    events = meta["event"]["event"]
    mk["event_code"] = pd.Index(events).get_indexer(mk["event"])
    # Ladder order: by lower end (-inf for `less`), i.e. low to high.
    mk["lo"] = mk["floor_strike"].where(mk["strike_type"] != "less", -np.inf)
    mk = mk.sort_values(["event_code", "lo"], kind="stable")
    mk["slot"] = mk.groupby("event_code").cumcount()
    n_ev = len(events)
    width = int(mk["slot"].max()) + 1
    slot_market = np.full((n_ev, width), -1, dtype=np.int32)
    slot_market[mk["event_code"], mk["slot"]] = mk["code"]
    # Boundaries: the upper ends of all slots but the last of each event (= cap strikes).
    bounds = np.full((n_ev, width - 1), np.inf)
    inner = mk[mk["strike_type"] != "greater_or_equal"]
    bounds[inner["event_code"], inner["slot"]] = inner["cap_strike"]
    close_ts = mk.groupby("event_code")["close_ts"].first().reindex(range(n_ev)).to_numpy()
    return slot_market, bounds, close_ts, mk


def fair_ticks(ticks: pd.DataFrame, slot_market, bounds, close_ts) -> pd.DataFrame:
    """Long table (ts, mkt, fair) of every market's fair YES ticks after every tick."""
    ev = ticks["event"].to_numpy()
    ts = ticks["ts"].to_numpy()
    sd = np.maximum(0.25, 0.003 * np.sqrt((close_ts[ev] - ts).astype(np.float64)))
    cdf = norm.cdf(bounds[ev], loc=ticks["value"].to_numpy()[:, None], scale=sd[:, None])
    n = len(ticks)
    mass = np.diff(np.hstack([np.zeros((n, 1)), cdf, np.ones((n, 1))]), axis=1)
    mass = np.maximum(mass, 0.0)
    total = np.cumsum(mass, axis=1)[:, -1]
    p = np.minimum(mass / total[:, None], 1.0)
    fair = np.floor(p * ONE_DOLLAR + 0.5).astype(np.int32)
    mkt = slot_market[ev]
    keep = mkt >= 0
    return pd.DataFrame(
        {
            "ts": np.broadcast_to(ts[:, None], mkt.shape)[keep],
            "mkt": mkt[keep].astype("int16"),
            "fair": fair[keep],
        }
    )


def run(path: str, chunksize: int, with_fills: bool, reader: str = "json") -> dict:
    t0 = time.perf_counter()
    meta, markets, quotes, ticks, counts = read_tape(path, chunksize, reader)
    t1 = time.perf_counter()

    series = meta["series"].iloc[-1]  # one series in this workload
    multiplier = int(round(float(series["fee_multiplier"]) * ONE_DOLLAR))
    slot_market, bounds, close_ts, _ = ladders(meta, markets)

    fair = fair_ticks(ticks, slot_market, bounds, close_ts)
    q = pd.merge_asof(quotes, fair, on="ts", by="mkt", direction="backward")
    q = q[q["fair"].notna()]
    fair_q = q["fair"].to_numpy(dtype=np.int64)
    a = q["ask"].to_numpy(dtype=np.int64)
    b = q["bid"].to_numpy(dtype=np.int64)
    ev_yes = fair_q - a - order_fee_ticks(a, 100, multiplier)
    ev_no = (ONE_DOLLAR - fair_q) - (ONE_DOLLAR - b) - order_fee_ticks(ONE_DOLLAR - b, 100, multiplier)
    take = np.maximum(ev_yes, ev_no) >= EDGE
    cand = q[take].copy()
    cand["yes"] = (ev_yes >= ev_no)[take]
    cand["size"] = cand["ask_size"].where(cand["yes"], cand["bid_size"]).astype(np.int64)
    cand["price"] = cand["ask"].where(cand["yes"], ONE_DOLLAR - cand["bid"]).astype(np.int64)

    # Gross cap: filled so far after each candidate = min(CAP, cumulative size).
    cum = cand.groupby("mkt")["size"].cumsum()
    cand["count"] = cum.clip(upper=CAP) - (cum - cand["size"]).clip(upper=CAP)
    fills = cand[cand["count"] > 0].copy()
    fills["fee"] = order_fee_ticks(fills["price"], fills["count"], multiplier)
    fills["notional"] = -(-(fills["count"] * fills["price"]) // 100)
    fills["ticker"] = markets[fills["mkt"].to_numpy()]
    fills["side"] = np.where(fills["yes"], "yes", "no")

    # PnL: settlement pays $1 per winning contract (YES bought if yes, NO bought if no).
    bought = fills.assign(
        yes_c=fills["count"].where(fills["yes"], 0), no_c=fills["count"].where(~fills["yes"], 0)
    ).groupby("ticker")[["yes_c", "no_c", "notional", "fee"]].sum()
    per = pd.DataFrame(index=pd.Index(markets, name="ticker")).join(bought).fillna(0).astype(np.int64)
    st = meta["settlement"]
    result = st.set_index("market")["result"].reindex(per.index) if len(st) else pd.Series(index=per.index, dtype=object)
    payout = np.where(result == "yes", per["yes_c"], np.where(result == "no", per["no_c"], 0)) * PAYOUT_PER_CENTI
    pnl = payout - per["notional"] - per["fee"]
    t2 = time.perf_counter()

    rows = list(
        zip(
            fills["ts"].tolist(),
            fills["ticker"].tolist(),
            fills["side"].tolist(),
            fills["price"].astype(np.int64).tolist(),
            fills["count"].astype(np.int64).tolist(),
            fills["fee"].astype(np.int64).tolist(),
        )
    )
    digest = hashlib.sha256("".join(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]},{r[5]}\n" for r in rows).encode()).hexdigest()
    out = {
        "events": int(sum(counts.values())),
        "counts": {k: int(v) for k, v in counts.items()},
        "quotes_priced": int(len(q)),
        "candidates": int(len(cand)),
        "fills_count": len(rows),
        "fills_digest": digest,
        "fees_total": int(fills["fee"].sum()),
        "pnl_total": int(pnl.sum()),
        "pnl_by_market": {m: int(v) for m, v in pnl.items()},
        "timings": {"read_s": t1 - t0, "compute_s": t2 - t1, "total_s": t2 - t0},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reader": reader,
        "versions": {"pandas": pd.__version__, "numpy": np.__version__},
    }
    if with_fills:
        out["fills"] = [list(r) for r in rows]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tape")
    ap.add_argument("--chunksize", type=int, default=100_000, help="lines per chunk (default 100000)")
    ap.add_argument("--reader", choices=["json", "read_json"], default="json", help="how chunks are parsed (see chunks())")
    ap.add_argument("--no-fills", action="store_true", help="print the digest only, not the fill list")
    args = ap.parse_args()
    out = run(args.tape, args.chunksize, not args.no_fills, args.reader)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
