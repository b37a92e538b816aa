#!/usr/bin/python3
"""Side-by-side: Distal's QR, SVD and PCA vs numpy on the same shapes, in one run.

Usage: bench/decomp_vs_numpy.py [--repeat 5] [--ranks 1] [--scale 1.0]
  qr   2e6x20: np.linalg.qr(X)                        (Q and R)  vs  distal benchmark qr   (Q and R)
  svd  2e6x20: np.linalg.svd(X, full_matrices=False)  (U, s, Vt) vs  distal benchmark svd  (U, s, Vt)
  pca  1e6x50: np.linalg.eigh(np.cov(X, rowvar=False))           vs  distal benchmark pca  (correlationDense and svdDense)
--scale multiplies the row counts (e.g. 0.1 for a quick check). Builds the CLI (Release), times `distal benchmark`
(compute only, data generated in memory) and numpy on a same-sized float64 array; prints medians and ratios
(numpy time / Distal time).
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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Distal.Cli"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, capture_output=True)

    tall_rows = int(2_000_000 * args.scale)
    pca_rows = int(1_000_000 * args.scale)
    rng = np.random.default_rng(42)
    tall = rng.uniform(-1, 1, size=(tall_rows, 20))
    wide = rng.uniform(-1, 1, size=(pca_rows, 50))

    cases = [
        ("qr", tall_rows, 20, lambda: np.linalg.qr(tall), "np.linalg.qr(X) (Q and R)", []),
        ("svd", tall_rows, 20, lambda: np.linalg.svd(tall, full_matrices=False), "np.linalg.svd(X, full_matrices=False)", []),
        ("pca", pca_rows, 50, lambda: np.linalg.eigh(np.cov(wide, rowvar=False)), "eigh(np.cov(X)) vs correlationDense", []),
        ("pca", pca_rows, 50, lambda: np.linalg.eigh(np.cov(wide, rowvar=False)), "eigh(np.cov(X)) vs svdDense", ["--method", "svdDense"]),
    ]
    print(f"# medians of {args.repeat} runs, Distal ranks={args.ranks}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, numpy {np.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}, DISTAL_BLAS={os.environ.get('DISTAL_BLAS', '(default)')}")
    print(f"{'algorithm':<10} {'shape':>12} {'numpy s':>10} {'distal s':>10} {'ratio':>7}  numpy side")
    for name, rows, cols, numpy_fn, what, extra in cases:
        t_numpy = median_seconds(numpy_fn, args.repeat)
        t_distal = distal(name, rows, cols, args.repeat, args.ranks, *extra)
        print(f"{name:<10} {f'{rows}x{cols}':>12} {t_numpy:>10.4f} {t_distal:>10.4f} {t_numpy / t_distal:>6.1f}x  {what}", flush=True)


if __name__ == "__main__":
    main()
