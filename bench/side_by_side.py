#!/usr/bin/python3
"""Side-by-side: Distal against the numpy / scikit-learn reference on the same shapes, in one run.

Usage (Debian's python, which has numpy and scikit-learn):
    /usr/bin/python3 bench/side_by_side.py --all                 every row below, 7 alternating rounds
    /usr/bin/python3 bench/side_by_side.py --all --threads 1     the same on one thread (both sides)
    /usr/bin/python3 bench/side_by_side.py --only covariance,lloyd --rounds 9 --scale 0.1
    /usr/bin/python3 bench/side_by_side.py --peaks --threads 1   the machine's bounds (dgemm, read bandwidth) first
    /usr/bin/python3 bench/side_by_side.py --all --rest 1        one second idle before every timed run

Rows (the issue's table):
  moments     1e6x50   7 numpy calls: min, max, sum, mean, var, std, sum of squares
  covariance  1e6x50   np.cov(X, rowvar=False)
  pca         1e6x50   np.linalg.eigh(np.cov(X, rowvar=False))  vs  correlationDense
  pca-svd     1e6x50   the same reference                       vs  svdDense
  qr          2e6x20   np.linalg.qr(X)                  (Q and R)
  svd         2e6x20   np.linalg.svd(X, full_matrices=False) (U, s, Vt)
  lloyd       1e6x20   k = 10, per iteration: KMeans(lloyd, init = first k rows, tol 0).fit / n_iter_
  kmeans++    1e6x20   k = 10, n_trials = 2 + ln k: sklearn.cluster.kmeans_plusplus

Protocol, the same for both sides: per row, the reference runs once untimed in this process (warm-up), and one
`distal benchmark ... --paced` process generates the data in memory and runs once untimed (its cold run, printed
as "cold": start-up, JIT and first touch of its buffers). Then each round times one Distal run (the process runs
once per line it reads and answers with that run's seconds) and then one reference run, so both sides are timed
warm, one run at a time, and a burst of load on a shared machine hits both sides alike. Per row it prints the
median and the minimum of each side over the rounds, Distal's cold run, the ratio of the medians (reference /
Distal), the rate each side reaches at its median (GFLOP/s of the arithmetic the row needs, or GB/s of data read
for the moments), and the threads each side used. --threads 1 sets DISTAL_THREADS=1 for Distal and limits the
reference's BLAS/OpenMP pools to one thread. Data: uniform [-1, 1) on both sides.

--rest S sleeps S seconds before every timed run of either side. On these VMs a run that starts right after both
cores were busy is slower, whoever ran before (measured 2026-11-26: k-means++ 1e6x20 on two threads took 0.13-0.21 s
after 0.3 s of two busy loops and 0.07-0.12 s after 0.3 s of sleep, with no steal time in /proc/stat), so strict
alternation penalises the side with the shorter runs; a rest lets every run start from the same idle state.
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

# numpy runs slower with the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE overrides some of these machines set; drop both for
# this process only (tests and CI leave them alone).
if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTAL = ["dotnet", os.path.join(ROOT, "src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll")]
CLUSTERS = 10


class Distal:
    """One `distal benchmark ... --paced` process for a row: it generates the data and runs once untimed (the cold
    run, reported separately), then times exactly one run per line it reads. So both sides are timed warm, in their
    own process, one run at a time, and the rounds can alternate."""

    def __init__(self, algorithm, rows, cols, threads, *extra):
        env = dict(os.environ)
        if threads:
            env["DISTAL_THREADS"] = str(threads)
        self.errors = tempfile.TemporaryFile("w+")  # progress lines (k-means), shown only if the process fails
        self.process = subprocess.Popen(DISTAL + ["benchmark", algorithm, "--rows", str(rows), "--cols", str(cols),
                                                  "--paced", *map(str, extra)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True,
                                        env=env)
        self.cold = self._per_iteration(self._line(), "warmupSeconds")

    def _line(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"distal benchmark stopped (exit code {self.process.wait()}): {self._errors()}")
        return json.loads(line)

    @staticmethod
    def _per_iteration(result, key):
        # Lloyd's row is per iteration: the run's time over the iterations it made.
        return result[key] / (result.get("iterations") or 1)

    def run(self):
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        return self._per_iteration(self._line(), "seconds")

    def close(self):
        self.process.stdin.close()
        summary = json.loads(self.process.stdout.read())
        if self.process.wait() != 0:
            raise RuntimeError(f"distal benchmark failed (exit code {self.process.returncode}): {self._errors()}")
        self.errors.close()
        return summary

    def _errors(self):
        self.errors.seek(0)
        return self.errors.read()[-2000:]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cases(scale):
    """(name, rows, cols, distal args, reference fn returning (seconds, units), reference text, work, unit)."""
    wide_rows, tall_rows = int(1_000_000 * scale), int(2_000_000 * scale)
    rng = np.random.default_rng(42)
    data = {}

    def wide():
        if "wide" not in data:
            data["wide"] = rng.uniform(-1, 1, size=(wide_rows, 50))
        return data["wide"]

    def tall():
        if "tall" not in data:
            data["tall"] = rng.uniform(-1, 1, size=(tall_rows, 20))
        return data["tall"]

    def kmeans_data():
        if "kmeans" not in data:
            data["kmeans"] = rng.uniform(-1, 1, size=(wide_rows, 20))
        return data["kmeans"]

    def moments():
        x = wide()
        return timed(lambda: (x.min(axis=0), x.max(axis=0), x.sum(axis=0), x.mean(axis=0), x.var(axis=0, ddof=1),
                              x.std(axis=0, ddof=1), (x * x).sum(axis=0)))[0], 1

    def lloyd():
        x = kmeans_data()
        model = KMeans(n_clusters=CLUSTERS, init=x[:CLUSTERS], n_init=1, max_iter=25, tol=0.0, algorithm="lloyd")
        seconds, _ = timed(lambda: model.fit(x))
        return seconds / model.n_iter_, 1

    trials = 2 + int(math.log(CLUSTERS))

    def plusplus():
        x = kmeans_data()
        return timed(lambda: kmeans_plusplus(x, CLUSTERS, n_local_trials=trials, random_state=0))[0], 1

    n, p = wide_rows, 50
    t, q = tall_rows, 20
    gram = n * p * (p + 1)            # XᵀX upper triangle: n·p(p+1)/2 multiply-adds
    householder = 2 * t * q * q       # R of a tall t×q block (plus lower-order terms)
    return [
        ("moments", n, p, ["low-order-moments"], moments, "7 numpy calls", n * p * 8, "GB/s"),
        ("covariance", n, p, ["covariance"], lambda: (timed(lambda: np.cov(wide(), rowvar=False))[0], 1),
         "np.cov(X, rowvar=False)", gram, "GFLOP/s"),
        ("pca", n, p, ["pca"], lambda: (timed(lambda: np.linalg.eigh(np.cov(wide(), rowvar=False)))[0], 1),
         "eigh(np.cov(X)) vs correlationDense", gram, "GFLOP/s"),
        ("pca-svd", n, p, ["pca", "--method", "svdDense"],
         lambda: (timed(lambda: np.linalg.eigh(np.cov(wide(), rowvar=False)))[0], 1),
         "eigh(np.cov(X)) vs svdDense", 2 * n * p * p, "GFLOP/s"),
        ("qr", t, q, ["qr"], lambda: (timed(lambda: np.linalg.qr(tall()))[0], 1), "np.linalg.qr(X), Q and R",
         2 * householder, "GFLOP/s"),
        ("svd", t, q, ["svd"], lambda: (timed(lambda: np.linalg.svd(tall(), full_matrices=False))[0], 1),
         "np.linalg.svd(X, full_matrices=False)", 3 * householder, "GFLOP/s"),
        ("lloyd", n, 20, ["kmeans", "--clusters", CLUSTERS, "--max-iterations", 25, "--init-method", "deterministicDense"],
         lloyd, "KMeans(lloyd).fit / n_iter_, per iteration", 2 * n * 20 * CLUSTERS, "GFLOP/s"),
        ("kmeans++", n, 20, ["kmeans-init", "--clusters", CLUSTERS, "--method", "plusPlusDense", "--n-trials", trials],
         plusplus, f"kmeans_plusplus(n_local_trials={trials})", 2 * n * 20 * trials * (CLUSTERS - 1), "GFLOP/s"),
    ]


def peaks(rounds):
    """The machine's bounds, measured the same way: OpenBLAS dgemm (2000×2000) GFLOP/s and the read bandwidth of a
    400 MB vector (ddot(x, x) reads it once), on one thread and on all, best and median of the runs."""
    rng = np.random.default_rng(7)
    a, b, x = rng.random((2000, 2000)), rng.random((2000, 2000)), rng.random(50_000_000)
    for threads in sorted({1, os.cpu_count()}):
        with threadpool_limits(threads):
            for label, fn, work, unit in (("dgemm 2000x2000", lambda: a @ b, 2 * 2000 ** 3, "GFLOP/s"),
                                          ("read 400 MB (ddot)", lambda: np.dot(x, x), x.nbytes, "GB/s")):
                fn()
                seconds = [timed(fn)[0] for _ in range(rounds)]
                print(f"# peak: {label:<19} {threads} thread(s): best {work / min(seconds) / 1e9:5.1f} {unit}, "
                      f"median {work / statistics.median(seconds) / 1e9:5.1f} {unit}", flush=True)


def rate(work, unit, seconds):
    return work / seconds / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="every row")
    parser.add_argument("--only", default="", help="comma-separated row names")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds per row (at least 7 for a report)")
    parser.add_argument("--threads", type=int, default=0, help="threads for both sides (0: each side's default)")
    parser.add_argument("--peaks", action="store_true", help="first measure the bounds: dgemm GFLOP/s, read GB/s")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the row counts (0.1 for a quick check)")
    parser.add_argument("--rest", type=float, default=0.0, help="seconds idle before every timed run (both sides)")
    args = parser.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Distal.Cli"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, capture_output=True)

    only = {name for name in args.only.split(",") if name}
    if not args.all and not only and not args.peaks:
        parser.error("give --all, --only NAME,... or --peaks")
    limit = threadpool_limits(args.threads) if args.threads else None
    pools = ", ".join(sorted({f"{p['internal_api']}×{p['num_threads']}" for p in threadpool_info()}))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} logical CPUs, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"# numpy {np.__version__}; reference thread pools: {pools}; Distal DISTAL_THREADS="
          f"{args.threads or os.environ.get('DISTAL_THREADS', '(default)')}, DISTAL_BLAS={os.environ.get('DISTAL_BLAS', '(default)')}")
    print(f"# {args.rounds} alternating rounds per row, both sides warm{f', {args.rest:g} s idle before each timed run' if args.rest else ''}; "
          f"ratio = reference median / Distal median; rate at the median; cold = Distal's first (untimed) run")
    if args.peaks:
        peaks(args.rounds)
    header = (f"{'row':<11} {'shape':>10} {'distal med':>10} {'min':>8} {'cold':>8} {'ref med':>9} {'min':>8} "
              f"{'ratio':>7} {'distal rate':>15} {'ref rate':>15} {'threads d/r':>11}  reference")
    print(header)
    for name, rows, cols, distal_args, reference, what, work, unit in cases(args.scale):
        if not args.all and name not in only:
            continue
        reference()  # warm-up (and the data are generated outside the timing)
        ours, theirs = [], []
        distal = Distal(distal_args[0], rows, cols, args.threads, *distal_args[1:])
        try:
            for _ in range(args.rounds):
                time.sleep(args.rest)
                ours.append(distal.run())
                time.sleep(args.rest)
                theirs.append(reference()[0])
        finally:
            summary = distal.close()
        threads = summary.get("threadsPerRank", "?")
        d_med, r_med = statistics.median(ours), statistics.median(theirs)
        ref_threads = args.threads or os.cpu_count()
        print(f"{name:<11} {f'{rows // 1000}kx{cols}':>10} {d_med:>10.4f} {min(ours):>8.4f} {distal.cold:>8.4f} "
              f"{r_med:>9.4f} {min(theirs):>8.4f} {r_med / d_med:>6.2f}x {rate(work, unit, d_med):>7.1f} {unit:<7} "
              f"{rate(work, unit, r_med):>7.1f} {unit:<7} {f'{threads}/{ref_threads}':>11}  {what}", flush=True)
    print(f"# load average at the end {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if limit is not None:
        limit.restore_original_limits()


if __name__ == "__main__":
    main()
