"""Groups `perf report --no-children --sort dso,sym` lines (stdin) of a training step into the categories of
docs/PERFORMANCE.md ("Where a step's CPU goes"). The attention rows are libtorch's kernels that only the
5-token attention calls: the naive batched matmul (used below 400 multiply-adds a matrix) and softmax over
rows of length 5."""
import collections
import re
import sys

RULES = [  # (test on dso, symbol) -> category, first match wins
    (lambda d, s: "mkl_blas" in s, "GEMM (MKL sgemm)"),
    (lambda d, s: "baddbmm" in s, "attention batched matmul (libtorch's naive kernel)"),
    (lambda d, s: "log_softmax" in s or "expf" in s, "log-softmax over the K classes, exp"),
    (lambda d, s: "softmax" in s, "attention softmax, rows of 5"),
    (lambda d, s: "Sqrt" in s, "Adam's square root (MKL VML)"),
    (lambda d, s: "LayerNorm" in s or "RowwiseMoments" in s, "layer norm"),
    (lambda d, s: any(k in s for k in ("VectorizedLoop", "fill", "copy", "memset", "memmove", "cascade_sum")),
     "elementwise ops, copies, fills, sums"),
    (lambda d, s: d.startswith("[JIT]"), "Java (JIT): Adam's passes, sampler, DJL"),
    (lambda d, s: d == "libjvm.so", "JVM (GC, compiler)"),
    (lambda d, s: d.startswith("libc") or d.startswith("ld-linux"), "malloc/free, libc"),
    (lambda d, s: d == "[kernel.kallsyms]", "kernel (page faults)"),
    (lambda d, s: True, "libtorch dispatch, autograd, DJL JNI"),
]
LINE = re.compile(r"\s*([\d.]+)%\s+(\[JIT\] tid \d+|\S+)\s+\[.\]\s+(.*)")
shares = collections.Counter()
for line in sys.stdin:
    m = LINE.match(line)
    if m:
        dso, sym = m.group(2), m.group(3)
        shares[next(cat for test, cat in RULES if test(dso, sym))] += float(m.group(1))
for cat, share in shares.most_common():
    print(f"{share:5.1f}%  {cat}")
