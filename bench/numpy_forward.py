#!/usr/bin/env python3
"""numpy's side of bench/kernels.bench.ts: the same forward passes on the same shapes, one rep at a time.

A line protocol on stdin/stdout, so numpy's reps of each pass run right after ours, under the same load:
{"case": {method, dtype, dims}} builds the pass, runs it once (warm-up) and answers {"ready": true};
{"rep": true} runs it once more and answers {"ms": ...}. Only numpy: the passes are written out as the
service computes them (LoRA as (x·Aᵀ)·Bᵀ); "matmul" is the single op x·Wᵀ that bounds the GEMM rows.
"""
import json
import sys
import time

import numpy as np


def make(case):
    dt = np.float32 if case["dtype"] == "float32" else np.float64
    d = case["dims"]
    rng = np.random.default_rng(0)
    r = lambda *s, std=1.0: (rng.standard_normal(s) * std).astype(dt)
    rows, n = d["rows"], d["d"]
    x = r(rows, n)
    m = case["method"]
    if m == "matmul":
        w = r(d["out"], n)
        return lambda: x @ w.T
    if m in ("lora", "lora_merged"):
        w, a, b, s = r(n, n, std=0.1), r(d["r"], n, std=0.01), r(n, d["r"], std=0.01), dt(2.0)
        if m == "lora":
            return lambda: x @ w.T + s * ((x @ a.T) @ b.T)
        return lambda: x @ (w + s * (b @ a)).T
    if m == "adapter":
        wd, wu, bd, bu, s = r(d["b"], n, std=0.1), r(n, d["b"], std=0.1), r(d["b"]), r(n), dt(0.5)
        return lambda: x + s * (np.maximum(x @ wd.T + bd, 0) @ wu.T + bu)
    if m == "ia3":
        w, l = r(n, n, std=0.1), r(n)
        return lambda: (x @ w.T) * l
    if m == "prefix":
        B, S, H, p = d["batch"], d["seq"], d["heads"], d["p"]
        hd = n // H
        wq, wk, wv, wo = (r(n, n, std=0.1) for _ in range(4))
        pk, pv = r(p, n, std=0.1), r(p, n, std=0.1)
        mask = np.zeros((S, p + S), dtype=dt)
        mask[np.triu_indices(S, 1)[0], p + np.triu_indices(S, 1)[1]] = -np.inf
        scale = dt(1 / np.sqrt(hd))

        def heads(v, L):
            return v.reshape(-1, L, H, hd).transpose(0, 2, 1, 3)

        def f():
            q = heads(x @ wq.T, S)
            k = np.concatenate([np.broadcast_to(heads(pk, p), (B, H, p, hd)), heads(x @ wk.T, S)], axis=2)
            v = np.concatenate([np.broadcast_to(heads(pv, p), (B, H, p, hd)), heads(x @ wv.T, S)], axis=2)
            s = (q @ k.transpose(0, 1, 3, 2)) * scale + mask
            s = np.exp(s - s.max(axis=-1, keepdims=True))
            att = s / s.sum(axis=-1, keepdims=True)
            mass = att[..., :p].sum(axis=-1)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(B * S, n)
            return ctx @ wo.T, mass

        return f
    raise ValueError(m)


def answer(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


f = None
for line in sys.stdin:
    msg = json.loads(line)
    if "case" in msg:
        f = make(msg["case"])
        f()
        answer({"ready": True})
    else:
        t0 = time.perf_counter()
        f()
        answer({"ms": (time.perf_counter() - t0) * 1e3})
