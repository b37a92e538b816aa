#!/usr/bin/env bash
# A real analysis on 4 embedded ranks: generates a sample data set (200,000 rows, 8 correlated columns), prints
# readable summaries of moments, correlation, PCA, k-means and a linear regression with the `distal` command-line
# tool, and draws one picture of each kind into the demo folder.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet build src/Distal.Cli -c Release -v quiet -nologo >/dev/null
distal() { dotnet src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll "$@"; }

out=${DISTAL_DEMO_DIR:-$(mktemp -d)}
data=$out/sample.csv
# Three groups of rows around different centres; columns 5-7 are noisy mixtures of columns 0-2.
awk 'BEGIN { srand(42); OFS = ",";
  for (i = 0; i < 200000; i++) {
    g = i % 3; c = (g == 0 ? -4 : (g == 1 ? 0 : 5));
    for (j = 0; j < 5; j++) x[j] = c + (j + 1) * (rand() + rand() + rand() - 1.5);
    print x[0], x[1], x[2], x[3], x[4], x[0] + 0.1 * rand(), x[1] - x[2] + 0.1 * rand(), 2 * x[0] + x[3] + rand();
  } }' > "$data"
echo "sample data: $data (200000 rows x 8 columns)"

# --format table: this script's output may be piped, where JSON would be the default.
run() { echo; echo "\$ distal $*"; distal "$@"; }
run low-order-moments --ranks 4 --format table "$data"
run covariance --ranks 4 --output-matrix-type correlationMatrix --format table --plot "$out/correlation.png" "$data"
run pca --ranks 4 --format table --plot "$out/pca-scree.png" "$data"
run kmeans --ranks 4 --clusters 3 --max-iterations 50 --init-method plusPlusDense --format table --plot "$out/kmeans-clusters.png" "$data"
# The last column is 2·x0 + x3 + noise: the regression finds the coefficients 2 and 1 and an R² near 1.
run linear-regression-training --ranks 4 --responses 1 --format table --plot "$out/regression-fit.png" "$data"
echo
echo "pictures (open them in any image viewer):"
for picture in correlation pca-scree kmeans-clusters regression-fit; do echo "  $out/$picture.png"; done
