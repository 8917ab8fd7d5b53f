#!/usr/bin/python3
"""KX-REPLAY scoring peer: scikit-learn's Brier score and log loss of (p, y) pairs.

    /usr/bin/python3 bench/kx_replay/sklearn_peer.py P.f64 Y.u8

P.f64 holds the probabilities as raw little-endian float64, Y.u8 the outcomes as
raw uint8 (0 or 1), one per pair. Each metric is timed 3 times (the median is
reported, in seconds, excluding the file reads). Prints ONE JSON object:
{"n", "brier", "log_loss", "brier_s", "log_loss_s", "read_s", "sklearn"}; floats are
written with repr precision (shortest round-trip).
"""

import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import brier_score_loss, log_loss


def timed(fn, runs: int = 3):
    """(value, median seconds) of `runs` calls."""
    times = []
    value = None
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return value, statistics.median(times)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: sklearn_peer.py P.f64 Y.u8")
    t0 = time.perf_counter()
    p = np.fromfile(sys.argv[1], dtype="<f8")
    y = np.fromfile(sys.argv[2], dtype=np.uint8)
    read_s = time.perf_counter() - t0
    if len(p) != len(y):
        sys.exit(f"length mismatch: {len(p)} probabilities, {len(y)} outcomes")
    brier, brier_s = timed(lambda: brier_score_loss(y, p))
    ll, ll_s = timed(lambda: log_loss(y, p, labels=[0, 1]))
    out = {
        "n": int(len(p)),
        "brier": float(brier),
        "log_loss": float(ll),
        "brier_s": brier_s,
        "log_loss_s": ll_s,
        "read_s": read_s,
        "sklearn": sklearn.__version__,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
