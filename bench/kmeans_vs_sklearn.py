#!/usr/bin/python3
"""Side-by-side k-means timings, Distal vs scikit-learn, in one run (medians of several runs, ratios).

    /usr/bin/python3 bench/kmeans_vs_sklearn.py [--rows 1000000] [--cols 20] [--clusters 10]
                                                [--iterations 25] [--repeat 5] [--distal CMD]

Measures, on uniform [-1, 1) data (the same distribution `distal benchmark` generates):
  * Lloyd per iteration: `distal benchmark kmeans` (deterministicDense init, tol 0, --max-iterations N) vs
    sklearn KMeans(algorithm="lloyd", init=first k rows, n_init=1, tol=0, max_iter=N).fit; each total divided by
    its iteration count (both include one final assignment pass when not converged);
  * k-means++ init: `distal benchmark kmeans-init --method plusPlusDense --n-trials 2+floor(ln k)` (scikit-learn's
    trial count) vs sklearn.cluster.kmeans_plusplus;
  * Distal on 1 and 2 embedded ranks (each rank gets cores / ranks threads).
Distal times the computation alone on in-memory data; scikit-learn's fit includes its input validation and
mean-centring copy, which is part of what a user pays per call.
"""
import argparse
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def distal_command(explicit):
    if explicit:
        return shlex.split(explicit)
    dll = os.path.join(ROOT, "src", "Distal.Cli", "bin", "Release", "net10.0", "Distal.Cli.dll")
    if not os.path.exists(dll):
        subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src", "Distal.Cli")], check=True,
                       stdout=subprocess.DEVNULL)
    return ["dotnet", dll]


def distal(cmd, *args):
    out = subprocess.run(cmd + ["benchmark", *map(str, args)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=20)
    parser.add_argument("--clusters", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds (medians over them)")
    parser.add_argument("--distal", default=None, help="command that runs distal (default: dotnet <Release Distal.Cli.dll>)")
    a = parser.parse_args()
    cmd = distal_command(a.distal)
    trials = 2 + int(math.log(a.clusters))

    rng = np.random.default_rng(42)
    x = rng.uniform(-1.0, 1.0, size=(a.rows, a.cols))

    # The machine may be shared: the measurements are interleaved round by round, so a burst of load hits all of
    # them alike, and the medians over the rounds are compared.
    def sk_lloyd():
        model = KMeans(n_clusters=a.clusters, init=x[:a.clusters], n_init=1, max_iter=a.iterations, tol=0.0,
                       algorithm="lloyd")
        model.fit(x)
        return model.n_iter_

    def timed(fn):
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result

    sk_lloyd()  # warm-up
    kmeans_plusplus(x, a.clusters, n_local_trials=trials, random_state=0)
    samples = {key: [] for key in ("skLloyd", "skPlusPlus", "lloyd1", "lloyd2", "init1", "init2")}
    sk_iters = a.iterations
    distal_iters = {}
    for _ in range(a.repeat):
        seconds, sk_iters = timed(sk_lloyd)
        samples["skLloyd"].append(seconds / sk_iters)
        seconds, _ = timed(lambda: kmeans_plusplus(x, a.clusters, n_local_trials=trials, random_state=0))
        samples["skPlusPlus"].append(seconds)
        for ranks in (1, 2):
            lloyd = distal(cmd, "kmeans", "--rows", a.rows, "--cols", a.cols, "--ranks", ranks, "--clusters",
                           a.clusters, "--max-iterations", a.iterations, "--init-method", "deterministicDense",
                           "--repeat", 1)
            distal_iters[ranks] = (lloyd["iterations"], lloyd.get("threadsPerRank"))
            samples[f"lloyd{ranks}"].append(lloyd["medianSeconds"] / lloyd["iterations"])
            init = distal(cmd, "kmeans-init", "--rows", a.rows, "--cols", a.cols, "--ranks", ranks, "--clusters",
                          a.clusters, "--method", "plusPlusDense", "--n-trials", trials, "--repeat", 1)
            samples[f"init{ranks}"].append(init["medianSeconds"])

    median = {key: statistics.median(values) for key, values in samples.items()}
    rows = []
    for ranks in (1, 2):
        rows.append({
            "ranks": ranks,
            "threadsPerRank": distal_iters[ranks][1],
            "distalLloydPerIterationSeconds": median[f"lloyd{ranks}"],
            "distalIterations": distal_iters[ranks][0],
            "sklearnLloydPerIterationSeconds": median["skLloyd"],
            "sklearnIterations": int(sk_iters),
            "lloydSpeedup": median["skLloyd"] / median[f"lloyd{ranks}"],
            "distalPlusPlusSeconds": median[f"init{ranks}"],
            "sklearnPlusPlusSeconds": median["skPlusPlus"],
            "plusPlusSpeedup": median["skPlusPlus"] / median[f"init{ranks}"],
        })

    load = os.getloadavg()[0]
    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical cores",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "rows": a.rows, "cols": a.cols, "clusters": a.clusters, "maxIterations": a.iterations,
        "nTrials": trials, "rounds": a.repeat, "loadAverageAtEnd": load,
        "results": rows,
    }
    print(json.dumps(report, indent=2))
    print()
    print(f"| ranks | Distal Lloyd / it | sklearn Lloyd / it | ratio | Distal k-means++ | sklearn kmeans_plusplus | ratio |")
    print(f"|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['ranks']} | {r['distalLloydPerIterationSeconds'] * 1e3:.1f} ms | "
              f"{r['sklearnLloydPerIterationSeconds'] * 1e3:.1f} ms | {r['lloydSpeedup']:.2f}× | "
              f"{r['distalPlusPlusSeconds'] * 1e3:.0f} ms | {r['sklearnPlusPlusSeconds'] * 1e3:.0f} ms | "
              f"{r['plusPlusSpeedup']:.2f}× |")


if __name__ == "__main__":
    main()
