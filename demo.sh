#!/usr/bin/env bash
# A real analysis on 4 embedded ranks: generates a sample data set (200,000 rows, 8 correlated columns) and runs
# moments, correlation, PCA and k-means on it with the `distal` command-line tool.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet build src/Distal.Cli -c Release -v quiet -nologo >/dev/null
distal() { dotnet src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll "$@"; }

data=${DISTAL_DEMO_DIR:-$(mktemp -d)}/sample.csv
# Three groups of rows around different centres; columns 5-7 are noisy mixtures of columns 0-2.
awk 'BEGIN { srand(42); OFS = ",";
  for (i = 0; i < 200000; i++) {
    g = i % 3; c = (g == 0 ? -4 : (g == 1 ? 0 : 5));
    for (j = 0; j < 5; j++) x[j] = c + (j + 1) * (rand() + rand() + rand() - 1.5);
    print x[0], x[1], x[2], x[3], x[4], x[0] + 0.1 * rand(), x[1] - x[2] + 0.1 * rand(), 2 * x[0] + x[3] + rand();
  } }' > "$data"
echo "sample data: $data (200000 rows x 8 columns)"

run() { echo; echo "\$ distal $*"; distal "$@"; }
run low-order-moments --ranks 4 --estimates-to-compute estimatesMeanVariance "$data"
run covariance --ranks 4 --output-matrix-type correlationMatrix "$data"
for extra in "pca --ranks 4 --components 3" "kmeans --ranks 4 --clusters 3 --max-iterations 50 --init-method plusPlusDense"; do
  set -- $extra
  if distal --help | grep -q "^  $1 "; then
    echo; echo "\$ distal $extra $data"; distal "$@" "$data" | cut -c1-160 | head -40
  fi
done
