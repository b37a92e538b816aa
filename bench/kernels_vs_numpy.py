#!/usr/bin/python3
"""Times Distal's dense kernels and numpy on the same shapes in one run, and prints medians, GFLOP/s and ratios.

    /usr/bin/python3 bench/kernels_vs_numpy.py [--rounds 3] [--repeats 3] [--threads 1,2]
                                                [--backends managed-256,openblas] [--kernels xtx,abt,qr] [--markdown]

The two sides alternate for --rounds rounds (numpy, Distal, numpy, Distal, ...), each timing --repeats runs per
shape, and every figure is the median over all rounds, so both see the same (shared, noisy) machine.

numpy runs in a child process without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (so its OpenBLAS picks its own kernels
and default thread count, as a user's numpy would); Distal runs through the benchmark project's `quick` mode
(`dotnet run -c Release --project bench/Distal.Benchmarks -- quick`). Flop counts: XᵀX n·p·(p+1) (the symmetric
half), A·Bᵀ 2·m·n·k, QR with Q 4·m·p². Ratios are numpy's median time over Distal's.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SHAPES = {
    "xtx": [("1000000x50", 1_000_000, 50), ("2000000x20", 2_000_000, 20)],
    "abt": [("1000000x20 by 10x20", 1_000_000, 20)],
    "qr": [("2000000x20", 2_000_000, 20)],
}


def flops(kernel, rows, cols):
    if kernel == "xtx":
        return rows * cols * (cols + 1)
    if kernel == "abt":
        return 2.0 * rows * 10 * cols
    return 4.0 * rows * cols * cols


def numpy_child(kernels, repeats):
    import numpy as np

    rng = np.random.default_rng(42)
    for kernel in kernels:
        for shape, rows, cols in SHAPES[kernel]:
            x = rng.random((rows, cols)) - 0.5
            b = rng.random((10, cols)) - 0.5
            if kernel == "xtx":
                run = lambda: x.T @ x
            elif kernel == "abt":
                run = lambda: x @ b.T
            else:
                run = lambda: np.linalg.qr(x)
            run()
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
            print(json.dumps({"kernel": kernel, "shape": shape, "backend": "numpy", "threads": 0,
                              "median_s": statistics.median(times), "runs_s": times}), flush=True)
            del x


def run_numpy(kernels, repeats):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--numpy-child", "--kernels", ",".join(kernels),
                          "--repeats", str(repeats)], env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def run_distal(kernels, repeats, threads, backends):
    command = ["dotnet", "run", "-c", "Release", "--project", os.path.join(REPO, "bench", "Distal.Benchmarks"), "--",
               "quick", "--kernels", ",".join(kernels), "--repeats", str(repeats), "--threads", threads]
    if backends:
        command += ["--backends", backends]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def numpy_info():
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    code = ("import numpy, numpy.linalg as l; c = numpy.__config__; "
            "print(numpy.__version__)")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default="1,%d" % (os.cpu_count() or 1))
    parser.add_argument("--backends", default="", help="comma-separated Distal backends (default: every one here)")
    parser.add_argument("--kernels", default="xtx,abt,qr")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--numpy-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    kernels = [k for k in args.kernels.split(",") if k]
    if args.numpy_child:
        numpy_child(kernels, args.repeats)
        return

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    runs = {}
    for _ in range(args.rounds):
        for r in run_numpy(kernels, args.repeats) + run_distal(kernels, args.repeats, args.threads, args.backends):
            runs.setdefault((r["kernel"], r["shape"], r["backend"], r["threads"]), []).extend(r["runs_s"])
    numpy_rows = [{"kernel": k[0], "shape": k[1], "median_s": statistics.median(v)} for k, v in runs.items() if k[2] == "numpy"]
    distal_rows = [{"kernel": k[0], "shape": k[1], "backend": k[2], "threads": k[3], "median_s": statistics.median(v)}
                   for k, v in runs.items() if k[2] != "numpy"]
    print(f"# {started}, {os.cpu_count()} CPUs, load average {load:.1f} at start and {os.getloadavg()[0]:.1f} at end, "
          f"numpy {numpy_info()}, median of {args.rounds} rounds × {args.repeats} runs")
    base = {(r["kernel"], r["shape"]): r["median_s"] for r in numpy_rows}
    header = ["kernel", "shape", "implementation", "threads", "median s", "GFLOP/s", "numpy time / this"]
    lines = []
    for kernel in kernels:
        for shape, rows, cols in SHAPES[kernel]:
            work = flops(kernel, rows, cols)
            t = base[(kernel, shape)]
            lines.append([kernel, shape, "numpy", "default", f"{t:.4f}", f"{work / t / 1e9:.1f}", "1.00"])
            for r in distal_rows:
                if r["kernel"] == kernel and r["shape"] == shape:
                    m = r["median_s"]
                    lines.append([kernel, shape, r["backend"], str(r["threads"]), f"{m:.4f}", f"{work / m / 1e9:.1f}",
                                  f"{t / m:.2f}"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        for line in lines:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths)))


if __name__ == "__main__":
    main()
