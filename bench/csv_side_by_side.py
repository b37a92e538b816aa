#!/usr/bin/python3
"""Side-by-side: reading data with Distal vs pandas and numpy, on the same generated files, in one run.

Usage: /usr/bin/python3 bench/csv_side_by_side.py [--rows 1000000] [--big-rows 2600000] [--repeat 3] [--dir /tmp]
  parse      1e6x20 float64 CSV (17 significant digits): Distal end to end into low-order moments (1 thread, 2 threads,
             2 ranks of 1 thread) vs pandas.read_csv (C engine) and numpy.loadtxt, in MB/s of CSV
  covariance the ~1 GB CSV (2.6e6x20) end to end: `distal covariance` vs pandas.read_csv + np.cov
  parquet    the same rows as Parquet (written by `distal convert`): `distal covariance` vs pandas.read_parquet + np.cov
             (only when pandas has a Parquet engine: pyarrow or fastparquet)
  memory     peak resident memory of `distal covariance --ranks 2` on the big CSV, by default and with --chunk-rows 50000
Distal's `distal` rows include process start-up, as a user of the CLI sees them: `dotnet Distal.Cli.dll` (JIT, ~0.14 s)
and the native executable of scripts/install-native.sh (no start-up to speak of); the "in process" rows time
the library inside one warm process (Distal.Benchmarks `csv FILE --only "file → moments"`), as pandas is timed here.
Generated files are deleted at the end.
Run on a quiet machine; the script prints the load average next to the figures.
"""
import argparse, json, os, platform, resource, statistics, subprocess, sys, tempfile, time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTAL = ["dotnet", os.path.join(ROOT, "src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll")]
BENCHMARKS = ["dotnet", os.path.join(ROOT, "bench/Distal.Benchmarks/bin/Release/net10.0/Distal.Benchmarks.dll")]


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def run_distal(args, threads=None, exe=DISTAL):
    env = dict(os.environ)
    if threads is not None:
        env["DISTAL_THREADS"] = str(threads)
    subprocess.run(exe + args, check=True, stdout=subprocess.DEVNULL, env=env)


def peak_kb(args):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + DISTAL + args, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(out.strip().splitlines()[-1])


def in_process(path, repeat):
    """Distal from file to moments inside one warm process, as pandas is timed here (no start-up), on 1 and 2
    threads: the library's `new LowOrderMoments().Compute(path)` and the CLI's chunked pipeline."""
    out = subprocess.run(BENCHMARKS + ["csv", path, "--repeats", str(repeat), "--only", "file → moments"], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("file → moments"):
            # "file → moments, library Compute(path), 1t   wall min 0.387 s  median 0.394 s  ..."
            label, numbers = line.split("wall min")
            best = float(numbers.split()[0])
            median = float(numbers.split("median")[1].split()[0])
            what = label.strip().removeprefix("file → moments, ")
            yield f"Distal in process (warm), {what}", (best, median)


def write_csv(path, rows, cols, seed):
    x = np.random.default_rng(seed).uniform(-50, 50, (rows, cols))
    np.savetxt(path, x, delimiter=",", fmt="%.17g")
    return x


def row(name, seconds, size_mb, reference=None):
    """A table row: best and median seconds, MB/s at the median, and the ratio of the reference's median to ours."""
    best, median = seconds
    text = f"| {name} | {best:.3f} | {median:.3f} | {size_mb / median:,.0f} |"
    return text + (f" {reference[1] / median:.1f}× |" if reference else " — |")


def native_distal(work):
    """Builds the native `distal` (scripts/install-native.sh) into work; None when it cannot be built here."""
    done = subprocess.run([os.path.join(ROOT, "scripts/install-native.sh"), work], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"(the native distal could not be built: {done.stdout.strip()[-300:]} {done.stderr.strip()[-300:]})")
        return None
    return [os.path.join(work, "distal")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=2_600_000)
    parser.add_argument("--cols", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    for project in ("src/Distal.Cli", "bench/Distal.Benchmarks"):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, project), "-c", "Release", "-v", "quiet", "-nologo"],
                       check=True, capture_output=True)
    try:
        import pandas as pd
    except ImportError:
        sys.exit("pandas is needed: apt-get install python3-pandas")

    work = tempfile.mkdtemp(prefix="distal-csv-bench-", dir=args.dir)
    csv, big, parquet = (os.path.join(work, n) for n in ("data.csv", "big.csv", "big.parquet"))
    try:
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; load average before: {os.getloadavg()}")
        native = native_distal(work)
        clis = [("JIT", DISTAL)] + ([("native", native)] if native else [])
        runs = (("Distal, 1 thread", [], 1), ("Distal, 2 threads", [], None), ("Distal, 2 ranks × 1 thread", ["--ranks", "2"], 1))
        write_csv(csv, args.rows, args.cols, 1)
        mb = os.path.getsize(csv) / 1e6
        print(f"\n### Parse: {args.rows:,}x{args.cols} CSV, {mb:.0f} MB (best and median of {args.repeat})\n")
        print("| reader | best s | median s | MB/s (median) | vs pandas (medians) |\n|---|---:|---:|---:|---:|")
        pandas_time = timed(lambda: pd.read_csv(csv, header=None, engine="c", dtype=np.float64), args.repeat)
        print(row("pandas.read_csv (C engine)", pandas_time, mb))
        print(row("numpy.loadtxt (one run)", timed(lambda: np.loadtxt(csv, delimiter=","), 1), mb, pandas_time))
        for cli, exe in clis:
            for name, extra, threads in runs:
                run_distal(["low-order-moments", *extra, csv], threads, exe)  # warm the page cache and the runtime
                print(row(f"{name}: `distal low-order-moments` ({cli})", timed(lambda: run_distal(["low-order-moments", *extra, csv], threads, exe), args.repeat), mb, pandas_time))
        for name, seconds in in_process(csv, max(args.repeat, 5)):
            print(row(name, seconds, mb, pandas_time))

        write_csv(big, args.big_rows, args.cols, 2)
        big_mb = os.path.getsize(big) / 1e6
        print(f"\n### CSV → covariance: {args.big_rows:,}x{args.cols}, {big_mb:.0f} MB\n")
        print("| pipeline | best s | median s | MB/s (median) | vs pandas + numpy (medians) |\n|---|---:|---:|---:|---:|")
        reference = timed(lambda: np.cov(pd.read_csv(big, header=None, engine="c", dtype=np.float64).to_numpy(), rowvar=False), args.repeat)
        print(row("pandas.read_csv + np.cov", reference, big_mb))
        for cli, exe in clis:
            for name, extra, threads in runs:
                print(row(f"{name}: `distal covariance` ({cli})", timed(lambda: run_distal(["covariance", *extra, big], threads, exe), args.repeat), big_mb, reference))

        subprocess.run(DISTAL + ["convert", big, parquet], check=True, stdout=subprocess.DEVNULL)
        pq_mb = os.path.getsize(parquet) / 1e6
        print(f"\n### Parquet → covariance: the same rows, {pq_mb:.0f} MB of Parquet\n")
        print("| pipeline | best s | median s | MB/s (median) | vs pandas + numpy (medians) |\n|---|---:|---:|---:|---:|")
        try:
            pq_reference = timed(lambda: np.cov(pd.read_parquet(parquet).to_numpy(), rowvar=False), args.repeat)
            print(row("pandas.read_parquet + np.cov", pq_reference, pq_mb))
        except ImportError as e:
            pq_reference = None
            print(f"| pandas.read_parquet: not available ({str(e).splitlines()[0]}) | | | | |")
        for cli, exe in clis:
            for name, extra in (("Distal, 1 rank", []), ("Distal, 2 ranks", ["--ranks", "2"])):
                print(row(f"{name}: `distal covariance` ({cli})", timed(lambda: run_distal(["covariance", *extra, parquet], exe=exe), args.repeat), pq_mb, pq_reference))

        print(f"\n### Peak resident memory, `distal covariance --ranks 2` on the {big_mb:.0f} MB CSV\n")
        print(f"- default (CSV streamed in 16384-row chunks): {peak_kb(['covariance', '--ranks', '2', big]) / 1024:.0f} MiB")
        print(f"- --chunk-rows 50000: {peak_kb(['covariance', '--ranks', '2', '--chunk-rows', '50000', big]) / 1024:.0f} MiB")
        print(f"\nload average after: {os.getloadavg()}")
    finally:
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
        os.rmdir(work)


if __name__ == "__main__":
    main()
