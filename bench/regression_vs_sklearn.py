#!/usr/bin/python3
"""Side-by-side linear and ridge regression timings, Distal vs numpy / scikit-learn, in one run (medians, ratios).

    /usr/bin/python3 bench/regression_vs_sklearn.py [--rows 1000000] [--features 50] [--repeat 5] [--threads N]
                                                    [--distal CMD]

On uniform [-1, 1) data (the distribution `distal benchmark` generates), X is rows×features and y one response:
  * normEqDense training: `distal benchmark linear-regression-training --cols features+1 --responses 1` (intercept
    on) vs numpy normal equations `X.T @ X`, `X.T @ y`, Cholesky (scipy.linalg.cho_factor/cho_solve; no intercept,
    so numpy does less work) and vs sklearn.linear_model.LinearRegression().fit (intercept on);
  * ridge training: `distal benchmark ridge-regression-training --ridge 1` vs sklearn.linear_model.Ridge(alpha=1).fit;
  * qrDense training: `--method qrDense` vs numpy.linalg.lstsq (SVD-based) and sklearn LinearRegression;
  * prediction: `distal benchmark linear-regression-prediction --model M` (a model trained by distal on a small file)
    vs `X @ beta[1:] + beta[0]`.
Distal times the computation alone on in-memory data (no I/O); sklearn's fit includes its input validation and
centring copy, which is part of what a user pays per call. --threads N sets DISTAL_THREADS and OpenBLAS's threads
for both sides (default: every core for both).
"""
import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

# numpy runs slower with the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE overrides some of these machines set; drop both for
# this process only (tests and CI leave them alone). --threads must reach OpenBLAS before numpy loads it.
if "DISTAL_REGRESSION_BENCH_ENV" not in os.environ:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["DISTAL_REGRESSION_BENCH_ENV"] = "1"
    if "--threads" in sys.argv:
        threads = sys.argv[sys.argv.index("--threads") + 1]
        env.update(DISTAL_THREADS=threads, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np
import scipy
import scipy.linalg
import sklearn
from sklearn.linear_model import LinearRegression, Ridge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def distal_command(explicit):
    if explicit:
        return shlex.split(explicit)
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "Distal.Cli"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, capture_output=True)
    return ["dotnet", os.path.join(ROOT, "src", "Distal.Cli", "bin", "Release", "net10.0", "Distal.Cli.dll")]


def median_seconds(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="threads for both sides (0: every core)")
    parser.add_argument("--distal", default=None, help="command that runs distal (default: dotnet <Release Distal.Cli.dll>)")
    a = parser.parse_args()
    cmd = distal_command(a.distal)
    n, p = a.rows, a.features

    def distal(*args):
        out = subprocess.run(cmd + ["benchmark", *map(str, args), "--rows", str(n), "--repeat", str(a.repeat)],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)["medianSeconds"]

    rng = np.random.default_rng(42)
    x = rng.uniform(-1, 1, size=(n, p))
    y = x @ rng.uniform(-1, 1, size=p) + 0.1 * rng.uniform(-1, 1, size=n)

    def normal_equations():
        factor = scipy.linalg.cho_factor(x.T @ x)
        return scipy.linalg.cho_solve(factor, x.T @ y)

    with tempfile.TemporaryDirectory() as tmp:
        train = os.path.join(tmp, "train.csv")
        model = os.path.join(tmp, "model.json")
        np.savetxt(train, np.column_stack([x[:1000], y[:1000]]), delimiter=",")
        subprocess.run(cmd + ["linear-regression-training", "--responses", "1", "--model-output", model, train],
                       check=True, capture_output=True)
        beta = np.array(json.load(open(model))["beta"])[0]
        predict = lambda: x @ beta[1:] + beta[0]

        cases = [
            ("normEqDense", "numpy X.T@X + Cholesky", normal_equations,
             ("linear-regression-training", "--cols", p + 1, "--responses", 1)),
            ("normEqDense", "sklearn LinearRegression", lambda: LinearRegression().fit(x, y),
             ("linear-regression-training", "--cols", p + 1, "--responses", 1)),
            ("ridge", "sklearn Ridge(alpha=1)", lambda: Ridge(alpha=1.0).fit(x, y),
             ("ridge-regression-training", "--cols", p + 1, "--responses", 1, "--ridge", 1)),
            ("qrDense", "numpy lstsq", lambda: np.linalg.lstsq(x, y, rcond=None),
             ("linear-regression-training", "--cols", p + 1, "--responses", 1, "--method", "qrDense")),
            ("qrDense", "sklearn LinearRegression", lambda: LinearRegression().fit(x, y),
             ("linear-regression-training", "--cols", p + 1, "--responses", 1, "--method", "qrDense")),
            ("prediction", "X @ beta", predict,
             ("linear-regression-prediction", "--cols", p, "--model", model)),
        ]
        print(f"# {n}x{p}, one response; medians of {a.repeat} runs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, numpy {np.__version__}, "
              f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, load average {os.getloadavg()[0]:.1f}, "
              f"threads {a.threads or 'all'}, DISTAL_BLAS={os.environ.get('DISTAL_BLAS', '(default)')}")
        print(f"{'distal':<12} {'distal s':>9} {'other s':>9} {'ratio':>7}  other")
        distal_times = {}
        for name, what, fn, args in cases:
            if args not in distal_times:
                distal_times[args] = distal(*args)
            t_other = median_seconds(fn, a.repeat)
            t_distal = distal_times[args]
            print(f"{name:<12} {t_distal:>9.4f} {t_other:>9.4f} {t_other / t_distal:>6.1f}x  {what}", flush=True)


if __name__ == "__main__":
    main()
