#!/usr/bin/python3
"""Side-by-side: Distal's algorithms vs numpy on the same shapes, in one run.

Usage: bench/side_by_side.py [--only NAME,...] [--repeat 5] [--ranks 1] [--scale 1.0]
  low-order-moments 1e6x50: min, max, sum, mean, var, std, sum of squares (one numpy call each)
  covariance        1e6x50: np.cov(X, rowvar=False)
  qr                2e6x20: np.linalg.qr(X)                        (Q and R)  vs  distal (Q and R)
  svd               2e6x20: np.linalg.svd(X, full_matrices=False)  (U, s, Vt) vs  distal (U, s, Vt)
  pca               1e6x50: np.linalg.eigh(np.cov(X, rowvar=False))           vs  distal correlationDense and svdDense
--scale multiplies the row counts (0.1 for a quick check). Builds the CLI (Release), times `distal benchmark`
(compute only, data generated in memory) and numpy on a same-sized float64 array, and prints medians and ratios
(numpy time / Distal time). k-means against scikit-learn: bench/kmeans_vs_sklearn.py; kernels: bench/kernels_vs_numpy.py.
"""
import argparse, json, os, platform, statistics, subprocess, sys, time

# numpy runs slower with the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE overrides some of these machines set; drop both for
# this process only (tests and CI leave them alone).
if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTAL = ["dotnet", os.path.join(ROOT, "src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll")]


def median_seconds(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def distal(algorithm, rows, cols, repeat, ranks, *extra):
    out = subprocess.run(DISTAL + ["benchmark", algorithm, "--rows", str(rows), "--cols", str(cols),
                                   "--repeat", str(repeat), "--ranks", str(ranks), *extra],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["medianSeconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated algorithm names")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Distal.Cli"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, capture_output=True)

    tall_rows = int(2_000_000 * args.scale)
    wide_rows = int(1_000_000 * args.scale)
    rng = np.random.default_rng(42)
    tall = rng.uniform(-1, 1, size=(tall_rows, 20))
    wide = rng.uniform(-1, 1, size=(wide_rows, 50))

    def numpy_moments():
        wide.min(axis=0); wide.max(axis=0); wide.sum(axis=0); wide.mean(axis=0)
        wide.var(axis=0, ddof=1); wide.std(axis=0, ddof=1); (wide * wide).sum(axis=0)

    cases = [
        ("low-order-moments", wide_rows, 50, numpy_moments, "min, max, sum, mean, var, std, sum of squares", []),
        ("covariance", wide_rows, 50, lambda: np.cov(wide, rowvar=False), "np.cov(X, rowvar=False)", []),
        ("qr", tall_rows, 20, lambda: np.linalg.qr(tall), "np.linalg.qr(X) (Q and R)", []),
        ("svd", tall_rows, 20, lambda: np.linalg.svd(tall, full_matrices=False), "np.linalg.svd(X, full_matrices=False)", []),
        ("pca", wide_rows, 50, lambda: np.linalg.eigh(np.cov(wide, rowvar=False)), "eigh(np.cov(X)) vs correlationDense", []),
        ("pca", wide_rows, 50, lambda: np.linalg.eigh(np.cov(wide, rowvar=False)), "eigh(np.cov(X)) vs svdDense", ["--method", "svdDense"]),
    ]
    only = {name for name in args.only.split(",") if name}
    print(f"# medians of {args.repeat} runs, Distal ranks={args.ranks}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, numpy {np.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}, DISTAL_BLAS={os.environ.get('DISTAL_BLAS', '(default)')}")
    print(f"{'algorithm':<18} {'shape':>12} {'numpy s':>10} {'distal s':>10} {'ratio':>7}  numpy side")
    for name, rows, cols, numpy_fn, what, extra in cases:
        if only and name not in only:
            continue
        t_numpy = median_seconds(numpy_fn, args.repeat)
        t_distal = distal(name, rows, cols, args.repeat, args.ranks, *extra)
        print(f"{name:<18} {f'{rows}x{cols}':>12} {t_numpy:>10.4f} {t_distal:>10.4f} {t_numpy / t_distal:>6.1f}x  {what}", flush=True)


if __name__ == "__main__":
    main()
