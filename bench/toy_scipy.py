#!/usr/bin/env python3
"""Peer timing for `./coop bench toy`: the toy model's gradient flow with scipy's solve_ivp.

Same closed-form right-hand side as the Java solver (O(n) per evaluation, no tensors), same
tolerances, same output grid (every time unit), and the same early stop once Loss < threshold.
Targets and initial values are standard normals from numpy (the draws differ from Java's; the
timing does not depend on them much, so several seeds are averaged).
Prints one JSON line per method: {"method", "best_ms", "mean_ms", "rhs_evaluations", "seeds"}, where
best_ms is the mean over seeds of the fastest of --repeats solves (robust on a busy machine).
"""
import argparse
import json
import time

import numpy as np
from scipy.integrate import solve_ivp


def make_problem(seed, dims, alpha, mu1, mu2):
    rng = np.random.default_rng(seed)
    targets = [rng.standard_normal(n) for n in dims]
    init = [rng.standard_normal(n) for n in dims]
    na, nb, nc, nd = dims
    n1, n2, n3 = na * nb * nc, nd * nb * nc, na * nd
    at, bt, ct, dt = targets
    g = [t @ t for t in targets]
    k1, k2 = g[0] * g[1] * g[2], g[3] * g[1] * g[2]
    cuts = np.cumsum(dims)[:-1]

    def losses(y):
        # Works on one state (n,) or on a whole trajectory (n, T).
        a, b, c, d = np.split(y, cuts)
        A, B, C, D = (np.einsum("i...,i...->...", x, x) for x in (a, b, c, d))
        pa, pb, pc, pd = at @ a, bt @ b, ct @ c, dt @ d
        l1 = (k1 - 2 * pa * pb * pc + A * B * C) / (2 * n1)
        l2 = (k2 - 2 * pd * pb * pc + D * B * C) / (2 * n2)
        cost = A * D / (2 * n3)
        return a, b, c, d, A, B, C, D, pa, pb, pc, pd, l1, l2, cost

    def rhs(_t, y):
        a, b, c, d, A, B, C, D, pa, pb, pc, pd, l1, l2, _ = losses(y)
        w1, w2, w3 = (l2 + mu2) / n1, (l1 + mu1) / n2, alpha / n3
        ga = (w1 * B * C + w3 * D) * a - w1 * pb * pc * at
        gd = (w2 * B * C + w3 * A) * d - w2 * pb * pc * dt
        gb = (w1 * A + w2 * D) * C * b - (w1 * pa + w2 * pd) * pc * bt
        gc = (w1 * A + w2 * D) * B * c - (w1 * pa + w2 * pd) * pb * ct
        return -np.concatenate([ga, gb, gc, gd])

    def total_loss(y):
        *_, l1, l2, cost = losses(y)
        return (l1 + mu1) * (l2 + mu2) + alpha * cost

    return np.concatenate(init), rhs, total_loss


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--methods", default="DOP853,RK45")
    p.add_argument("--rtol", type=float, default=1e-8)
    p.add_argument("--atol", type=float, default=1e-10)
    p.add_argument("--t-end", type=float, default=16000)
    p.add_argument("--threshold", type=float, default=1e-6)
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    dims = (20, 20, 20, 160)
    t_eval = np.arange(0, args.t_end + 0.5, 1.0)
    for method in args.methods.split(","):
        best_total, all_total, runs, evals = 0.0, 0.0, 0, 0
        for seed in range(args.seeds):
            y0, rhs, total_loss = make_problem(seed, dims, 0.1, 0.1, 0.0)

            def stop(_t, y):
                return total_loss(y) - args.threshold

            stop.terminal = True
            stop.direction = -1
            best = float("inf")
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                sol = solve_ivp(rhs, (0, args.t_end), y0, method=method, t_eval=t_eval,
                                rtol=args.rtol, atol=args.atol, events=stop)
                # The losses at the output times, as the Java solver records them (vectorised).
                _ = total_loss(sol.y)
                dt = time.perf_counter() - t0
                best = min(best, dt)
                all_total += dt
                runs += 1
                evals += sol.nfev
            best_total += best
        print(json.dumps({"method": method, "best_ms": 1000 * best_total / args.seeds,
                          "mean_ms": 1000 * all_total / runs, "rhs_evaluations": evals / runs,
                          "seeds": args.seeds}), flush=True)


if __name__ == "__main__":
    main()
