#!/usr/bin/env python3
"""The PyTorch peer of `./coop bench train`: the same 2-layer attention-only pre-LN transformer, data
shape and Adam loop as coopetition.transformer, timed in sequences per second.

Prints `seqs_per_s <value>` as its last line. Data are random synthetic batches drawn up front on the
host (the Java side also samples on the host, at well under 1% of a step)."""
import argparse
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)

    def forward(self, x, mask):
        b, t, d = x.shape
        hd = d // self.h
        q, k, v = self.qkv(self.ln(x)).view(b, t, 3, self.h, hd).permute(2, 0, 3, 1, 4)
        s = q @ k.transpose(-1, -2) * hd ** -0.5 + mask
        a = s.softmax(-1) @ v
        return x + self.proj(a.transpose(1, 2).reshape(b, t, d))


class Model(nn.Module):
    def __init__(self, dim, classes, d=64, heads=8, depth=2, slots=32):
        super().__init__()
        self.ex = nn.Linear(dim, d)
        self.lab = nn.Embedding(classes, d)
        self.pos = nn.Parameter(torch.empty(slots, d).uniform_(-slots ** -0.5, slots ** -0.5))
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))
        self.ln = nn.LayerNorm(d)
        self.unembed = nn.Linear(d, classes)

    def forward(self, x, y):
        b, p, _ = x.shape
        tok = torch.stack([self.ex(x), self.lab(y)], 2).reshape(b, 2 * p, -1)[:, : 2 * p - 1]
        t = tok.shape[1]
        h = tok + self.pos[:t]
        mask = torch.full((t, t), -1e20).triu(1)
        for blk in self.blocks:
            h = blk(h, mask)
        return self.unembed(self.ln(h[:, -1]))


def gemm(a):
    """The largest matmul of a step, alone: tells how much of a throughput gap is the BLAS library."""
    x = torch.randn(a.batch, a.d_model)
    w = torch.randn(a.d_model, a.classes)
    for _ in range(20):
        x @ w
    reps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:
        x @ w
        reps += 1
    elapsed = time.perf_counter() - start
    print(f"gemm_gflops {2.0 * a.batch * a.d_model * a.classes * reps / elapsed / 1e9:.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=8192)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--ctx", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--gemm", action="store_true",
                    help="time only the unembedding matmul [batch x d_model] x [d_model x classes]; prints gemm_gflops")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    if a.gemm:
        gemm(a)
        return
    model = Model(a.dim, a.classes, d=a.d_model)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    pairs = a.ctx + 1
    pool = [(torch.randn(a.batch, pairs, a.dim), torch.randint(0, a.classes, (a.batch, pairs))) for _ in range(16)]

    def step(i):
        x, y = pool[i % len(pool)]
        loss = F.cross_entropy(model(x, y), y[:, -1])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for i in range(20):
        step(i)
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < a.seconds:
        step(n)
        n += 1
    elapsed = time.perf_counter() - start
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {n} steps in {elapsed:.2f}s")
    print(f"seqs_per_s {n * a.batch / elapsed:.1f}")


if __name__ == "__main__":
    main()
