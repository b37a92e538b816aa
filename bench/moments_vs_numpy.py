#!/usr/bin/python3
"""Side-by-side: Distal's moments and covariance vs numpy on the same shapes, in one run.

Usage: bench/moments_vs_numpy.py [--rows 1000000] [--cols 50] [--repeat 7] [--ranks 1]
Builds the CLI (Release), times `distal benchmark` (compute only, data generated in memory) and the numpy
equivalents on a same-sized float64 array, and prints medians and ratios (numpy time / Distal time).
"""
import argparse, json, os, platform, statistics, subprocess, sys, time

# numpy runs slower with the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE overrides some of these machines set; drop both for
# this process only (tests and CI leave them alone).
if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTAL = [ "dotnet", os.path.join(ROOT, "src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll") ]


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
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--ranks", type=int, default=1)
    args = parser.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Distal.Cli"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, capture_output=True)

    x = np.random.default_rng(42).uniform(-1, 1, size=(args.rows, args.cols))

    def numpy_moments():
        x.min(axis=0); x.max(axis=0); x.sum(axis=0); x.mean(axis=0); x.var(axis=0, ddof=1); x.std(axis=0, ddof=1)
        (x * x).sum(axis=0)

    rows = [
        ("low-order-moments", numpy_moments, "min, max, sum, mean, var, std, sum of squares"),
        ("covariance", lambda: np.cov(x, rowvar=False), "np.cov(X, rowvar=False)"),
    ]
    print(f"# {args.rows}x{args.cols} float64, medians of {args.repeat} runs, Distal ranks={args.ranks}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, numpy {np.__version__}")
    print(f"{'algorithm':<20} {'numpy s':>10} {'distal s':>10} {'ratio':>7}  numpy side")
    for name, numpy_fn, what in rows:
        t_numpy = median_seconds(numpy_fn, args.repeat)
        t_distal = distal(name, args.rows, args.cols, args.repeat, args.ranks)
        print(f"{name:<20} {t_numpy:>10.4f} {t_distal:>10.4f} {t_numpy / t_distal:>6.1f}x  {what}")


if __name__ == "__main__":
    main()
