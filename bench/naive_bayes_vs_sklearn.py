#!/usr/bin/python3
"""Side-by-side multinomial naive Bayes timings, Distal vs scikit-learn, in one run (medians, ratios).

    /usr/bin/python3 bench/naive_bayes_vs_sklearn.py [--rows 500000] [--cols 100] [--classes 5]
                                                    [--density 0.01] [--repeat 5] [--distal CMD]

Measures, on Poisson counts with integer labels (the distribution `distal benchmark` generates: per class c and
feature j a rate 1 + (c + j) mod 5; the CSR case stores each entry with probability --density, its value 1 + a
Poisson count):
  * dense fit: `distal benchmark multinomial-naive-bayes-training` vs MultinomialNB(alpha=1).fit(X, y);
  * dense predict: `distal benchmark multinomial-naive-bayes-prediction` (labels only) vs .predict(X);
  * the same two on CSR input at --density, against scikit-learn on a scipy.sparse.csr_matrix;
  * Distal on 1 and 2 embedded ranks.
Distal times the computation alone on in-memory data (its input validation included: negative counts, NaN,
labels); scikit-learn's calls include its own input validation, which is part of what a user pays per call.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.naive_bayes import MultinomialNB

# The same helpers as the k-means script (bench/ is on sys.path when a script of it runs).
from kmeans_vs_sklearn import distal, distal_command  # noqa: E402


def generate(rows, cols, classes, density, rng):
    labels = rng.integers(0, classes, size=rows)
    rates = 1.0 + (np.add.outer(np.arange(classes), np.arange(cols)) % 5)
    if density is None:
        return rng.poisson(rates[labels]).astype(np.float64), labels
    stored = rng.random((rows, cols)) < density
    values = np.where(stored, 1.0 + rng.poisson(rates[labels]), 0.0)
    return sp.csr_matrix(values), labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--density", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds (medians over them)")
    parser.add_argument("--distal", default=None, help="command that runs distal (default: dotnet <Release Distal.Cli.dll>)")
    a = parser.parse_args()
    cmd = distal_command(a.distal)
    rng = np.random.default_rng(42)
    cases = {"dense": generate(a.rows, a.cols, a.classes, None, rng),
             "csr": generate(a.rows, a.cols, a.classes, a.density, rng)}

    def timed(fn):
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    samples = {}
    models = {}
    for name, (x, y) in cases.items():
        models[name] = MultinomialNB(alpha=1.0).fit(x, y)  # warm-up
        models[name].predict(x)
    # The machine may be shared: the measurements are interleaved round by round, so a burst of load hits all of
    # them alike, and the medians over the rounds are compared.
    for _ in range(a.repeat):
        for name, (x, y) in cases.items():
            samples.setdefault(f"skFit-{name}", []).append(timed(lambda: MultinomialNB(alpha=1.0).fit(x, y)))
            samples.setdefault(f"skPredict-{name}", []).append(timed(lambda: models[name].predict(x)))
            density = [] if name == "dense" else ["--density", a.density]
            for ranks in (1, 2):
                common = ["--rows", a.rows, "--cols", a.cols, "--classes", a.classes, "--ranks", ranks, "--repeat", 1,
                          *density]
                fit = distal(cmd, "multinomial-naive-bayes-training", *common)
                samples.setdefault(f"fit-{name}-{ranks}", []).append(fit["medianSeconds"])
                predict = distal(cmd, "multinomial-naive-bayes-prediction", *common)
                samples.setdefault(f"predict-{name}-{ranks}", []).append(predict["medianSeconds"])

    median = {key: statistics.median(values) for key, values in samples.items()}
    results = []
    for name in cases:
        for ranks in (1, 2):
            results.append({
                "input": name if name == "dense" else f"csr {a.density:g}",
                "ranks": ranks,
                "distalFitSeconds": median[f"fit-{name}-{ranks}"],
                "sklearnFitSeconds": median[f"skFit-{name}"],
                "fitSpeedup": median[f"skFit-{name}"] / median[f"fit-{name}-{ranks}"],
                "distalPredictSeconds": median[f"predict-{name}-{ranks}"],
                "sklearnPredictSeconds": median[f"skPredict-{name}"],
                "predictSpeedup": median[f"skPredict-{name}"] / median[f"predict-{name}-{ranks}"],
            })

    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical cores",
        "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
        "python": sys.version.split()[0],
        "rows": a.rows, "cols": a.cols, "classes": a.classes, "density": a.density, "rounds": a.repeat,
        "loadAverageAtEnd": os.getloadavg()[0],
        "results": results,
    }
    print(json.dumps(report, indent=2))
    print()
    print("| input | ranks | Distal fit | sklearn fit | ratio | Distal predict | sklearn predict | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['input']} | {r['ranks']} | {r['distalFitSeconds'] * 1e3:.1f} ms | {r['sklearnFitSeconds'] * 1e3:.1f} ms | "
              f"{r['fitSpeedup']:.1f}× | {r['distalPredictSeconds'] * 1e3:.1f} ms | "
              f"{r['sklearnPredictSeconds'] * 1e3:.1f} ms | {r['predictSpeedup']:.1f}× |")


if __name__ == "__main__":
    main()
