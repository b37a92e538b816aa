#!/usr/bin/env bash
# The native `distal` (Native AOT, built by scripts/install-native.sh as a user would) against the JIT build
# (`dotnet Distal.Cli.dll`): every command below runs with both, and stdout, stderr, the exit code and every file it
# writes must be byte for byte the same. Covers each algorithm, models saved and loaded, streaming, embedded ranks,
# Parquet and Arrow read and written, plots, usage and input errors, and both MPI launchers.
# The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
data="$repo/../shared/daal4py-data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
finish() { echo "$passed passed, $failed failed"; exit 0; }

if [[ ! -d "$data" ]]; then
  echo "FAILED: upstream's data is not at $data"
  failed=1
  finish
fi

echo "building the native executable (scripts/install-native.sh) and the JIT build..."
if ! scripts/install-native.sh "$work/bin" > "$work/install.log" 2>&1 ||
   ! dotnet build src/Distal.Cli -c Release -v quiet -nologo > "$work/build.log" 2>&1; then
  cat "$work/install.log"; grep -E 'error' "$work/build.log" | sort -u | head -20
  failed=1
  finish
fi
native="$work/bin/distal"
jit="dotnet $repo/src/Distal.Cli/bin/Release/net10.0/Distal.Cli.dll"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TERM=dumb

# same NAME STATUS ARGS...: runs `distal ARGS` with each build in the same fresh directory and compares what each
# printed (stderr sorted: ranks print in any order), its exit code, which must be STATUS, and the files it wrote. ARGS starting with bash or an MPI
# launcher run as they are, with DISTAL_EXE standing for the executable.
same() {
  local name=$1 status=$2
  shift 2
  local build exe args
  for build in jit native; do
    exe=$jit
    [[ $build == native ]] && exe=$native
    args=("${@//DISTAL_EXE/$exe}")
    rm -rf "$work/run"; mkdir -p "$work/run"; cp "$work"/inputs/* "$work/run"/
    (
      cd "$work/run" || exit 1
      case ${args[0]} in
        bash) timeout 120 "${args[@]}" ;;
        mpi*) timeout 120 ${args[@]} ;;  # DISTAL_EXE may be two words (dotnet and the .dll)
        *) timeout 120 $exe "${args[@]}" ;;
      esac < /dev/null > stdout.txt 2> stderr.unsorted
      echo "exit $?" > status.txt
      sort stderr.unsorted > stderr.txt && rm stderr.unsorted
    )
    rm -rf "$work/run-$build"; mv "$work/run" "$work/run-$build"
  done
  if [[ $(cat "$work/run-jit/status.txt") != "exit $status" ]]; then
    failed=$((failed + 1)); echo "FAILED $name: $(cat "$work/run-jit/status.txt"), expected exit $status"
    head -5 "$work/run-jit/stderr.txt"
  elif diff -r "$work/run-jit" "$work/run-native" > "$work/diff.txt" 2>&1; then
    passed=$((passed + 1)); echo "ok $name"
  else
    failed=$((failed + 1)); echo "FAILED $name"; head -20 "$work/diff.txt"
  fi
}

mkdir -p "$work/inputs"
cp "$data"/covcormoments_dense.csv "$data"/kmeans_dense.csv "$data"/qr_1.csv "$data"/svd_1.csv "$data"/pca_normalized_1.csv \
  "$data"/linear_regression_train_1.csv "$data"/linear_regression_dependents_train_1.csv "$data"/linear_regression_test.csv \
  "$data"/naivebayes_train_dense.csv "$data"/naivebayes_train_labels.csv "$data"/naivebayes_test_dense.csv "$work/inputs/"
cp "$data"/batch/naivebayes_train_csr.csv "$work/inputs/"
$jit convert "$work/inputs/covcormoments_dense.csv" "$work/inputs/moments.parquet" > /dev/null
$jit convert "$work/inputs/covcormoments_dense.csv" "$work/inputs/moments.arrow" > /dev/null
printf '1,2\n3,x\n' > "$work/inputs/bad.csv"

same "version" 0 --version
same "low-order-moments, 4 ranks, JSON" 0 low-order-moments --ranks 4 --format json covcormoments_dense.csv
same "low-order-moments, streamed, table" 0 low-order-moments --chunk-rows 7 --format table covcormoments_dense.csv
same "low-order-moments, float" 0 low-order-moments --fptype float --format json covcormoments_dense.csv
same "covariance, correlation, 3 ranks, --output" 0 covariance --ranks 3 --output-matrix-type correlationMatrix --output cor.json covcormoments_dense.csv
same "covariance from Parquet" 0 covariance --format json moments.parquet
same "covariance from Arrow, 2 ranks" 0 covariance --ranks 2 --format json moments.arrow
same "convert CSV to Parquet, Arrow and .npy" 0 bash -c "DISTAL_EXE convert covcormoments_dense.csv a.parquet && DISTAL_EXE convert a.parquet b.arrow && DISTAL_EXE convert b.arrow c.npy && DISTAL_EXE convert c.npy d.csv"
same "pca, 2 ranks, model saved, scree plot (PNG)" 0 pca --ranks 2 --components 3 --model-output pca-model.json --plot scree.png --format json pca_normalized_1.csv
same "pca-transform from a saved model" 0 bash -c "DISTAL_EXE pca --model-output m.json --format json pca_normalized_1.csv > /dev/null && DISTAL_EXE pca-transform --model m.json --ranks 2 --local-output-dir out --format json pca_normalized_1.csv"
same "svd, U per rank" 0 svd --ranks 2 --local-output-dir svd-out --format json svd_1.csv
same "qr, 3 ranks, Q per rank" 0 qr --ranks 3 --local-output-dir qr-out --format json qr_1.csv
same "linear regression, train and predict" 0 bash -c "DISTAL_EXE linear-regression-training --ranks 2 --model-output lr.json --format json linear_regression_train_1.csv --dependent linear_regression_dependents_train_1.csv && DISTAL_EXE linear-regression-prediction --model lr.json --format json linear_regression_test.csv"
same "ridge regression, streamed" 0 ridge-regression-training --chunk-rows 50 --responses 2 --ridge 1,10 --format json linear_regression_test.csv
same "naive Bayes, train and predict with probabilities" 0 bash -c "DISTAL_EXE multinomial-naive-bayes-training --classes 20 --labels naivebayes_train_labels.csv --ranks 2 --model-output nb.json --format json naivebayes_train_dense.csv && DISTAL_EXE multinomial-naive-bayes-prediction --model nb.json --probabilities --format json naivebayes_test_dense.csv"
same "naive Bayes from CSR, 2 ranks" 0 multinomial-naive-bayes-training --classes 20 --input-format csr --labels naivebayes_train_labels.csv --ranks 2 --format json naivebayes_train_csr.csv
same "kmeans-init parallel++ and kmeans, assignments, cluster plot (SVG)" 0 bash -c "DISTAL_EXE kmeans-init --clusters 5 --method parallelPlusDense --seed 7 --ranks 3 --output init.json kmeans_dense.csv && DISTAL_EXE kmeans --clusters 5 --centroids init.json --ranks 2 --local-output-dir assigned --plot clusters.svg --format json kmeans_dense.csv"
same "benchmark runs (shape only)" 0 bash -c "DISTAL_EXE benchmark covariance --rows 2000 --cols 5 --repeat 1 | grep -c medianSeconds"
same "input error: file:line:column, exit 1" 1 covariance bad.csv
same "usage error: unknown option, exit 2" 2 covariance --bogus covcormoments_dense.csv
same "usage error: bad choice, exit 2" 2 covariance --output-matrix-type nonsense covcormoments_dense.csv
same "missing file, exit 1" 1 low-order-moments missing.csv
same "help" 0 covariance --help
if command -v mpiexec.mpich > /dev/null; then
  same "MPICH, 3 ranks: pca" 0 mpiexec.mpich -n 3 DISTAL_EXE pca --format json pca_normalized_1.csv
  same "MPICH, 2 ranks: an input error on every rank" 1 mpiexec.mpich -n 2 DISTAL_EXE covariance bad.csv
fi
if command -v mpirun.openmpi > /dev/null; then
  same "Open MPI, 3 ranks: kmeans" 0 mpirun.openmpi --oversubscribe -n 3 DISTAL_EXE kmeans --clusters 4 --format json kmeans_dense.csv
fi
finish
